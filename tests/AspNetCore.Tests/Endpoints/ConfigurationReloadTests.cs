using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary><c>POST /admin/config/reload</c> with a broken or invalid file: issue 21 case 8.</summary>
public sealed class ConfigurationReloadTests : IDisposable
{
    private const string Valid = """{ "Custom": { "Kept": "yes" }, "RecFramework": { "Experiments": { "BucketCount": 100 } } }""";
    private readonly string _file = Path.Combine(Path.GetTempPath(), "recfw-reload-" + Guid.NewGuid().ToString("N") + ".json");

    public ConfigurationReloadTests() => File.WriteAllText(_file, Valid);

    public void Dispose() => File.Delete(_file);

    private Task<ServiceUnderTest> StartAsync() =>
        ServiceUnderTest.StartAsync(configure: builder => builder.Configuration.AddJsonFile(_file, optional: false, reloadOnChange: false));

    [Fact]
    public async Task ASyntacticallyBrokenFileAnswers422WithTheParseErrorAndTheServiceKeepsItsConfiguration()
    {
        await using var service = await StartAsync();
        await File.WriteAllTextAsync(_file, """{ "Custom": { "Kept": "no" }, "RecFramework": """);

        var response = await service.Client.PostAsync(new Uri("/admin/config/reload", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = body.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains(Path.GetFileName(_file), detail, StringComparison.Ordinal);
        Assert.Contains("LineNumber", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetDirectoryName(_file)!, detail, StringComparison.Ordinal);
        Assert.Equal("yes", service.App.Configuration["Custom:Kept"]);
        Assert.Equal("100", service.App.Configuration["RecFramework:Experiments:BucketCount"]);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync(new Uri("/recommend/1?k=5", UriKind.Relative))).StatusCode);
        Assert.Single(service.Logs.GetSnapshot(), r => r.Id.Name == "ReloadRefused");
    }

    [Fact]
    public async Task AnInvalidConfigurationOnReloadIsRefusedAndLoggedOnce()
    {
        await using var service = await StartAsync();
        await File.WriteAllTextAsync(_file, """{ "RecFramework": { "Experiments": { "BucketCount": 0 } } }""");

        var response = await service.Client.PostAsync(new Uri("/admin/config/reload", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("BucketCount = 0", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(service.Logs.GetSnapshot(), r => r.Id.Name == "ReloadRejected");
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync(new Uri("/recommend/1?k=5", UriKind.Relative))).StatusCode);
    }
}

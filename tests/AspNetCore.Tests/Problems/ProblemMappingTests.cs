using System.Net;
using System.Text.Json;

namespace RecFramework.AspNetCore.Tests.Problems;

/// <summary>Errors of every mapped endpoint as problem details from one place: issue 21 case 10.</summary>
public sealed class ProblemMappingTests
{
    [Fact]
    public async Task AnErrorAnswerNeverShowsTheArtifactsRoot()
    {
        await using var service = await ServiceUnderTest.StartAsync();

        var response = await service.Client.PostAsync(new Uri("/admin/channels/popular/activate/v9999", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        Assert.Contains("'v9999'", body.RootElement.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Contains("<artifacts>", text, StringComparison.Ordinal);
        Assert.DoesNotContain(service.Root, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFiveThousandCharacterVersionIsRefusedWithoutEchoingItInTheAnswerOrTheLog()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var version = new string('x', 5_000);

        var response = await service.Client.PostAsync(new Uri($"/admin/channels/popular/activate/{version}", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        Assert.Equal("version", body.RootElement.GetProperty("field").GetString());
        Assert.Contains("has 5000 characters; at most 128", body.RootElement.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        var tooLong = new string('x', ProblemText.MaxValueLength + 1);
        Assert.DoesNotContain(tooLong, text, StringComparison.Ordinal);
        // ASP.NET Core's own "Request starting" line (category Microsoft.AspNetCore.Hosting) shows the URL; the
        // framework's lines never show the value.
        var ours = service.Logs.GetSnapshot().Where(r => r.Category?.StartsWith("RecFramework", StringComparison.Ordinal) == true).ToArray();
        Assert.Contains(ours, r => r.Id.Name == "RequestRefused");
        Assert.DoesNotContain(ours, r => r.Message.Contains(tooLong, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RecError.InvalidArgument, 400)]
    [InlineData(RecError.MalformedInput, 400)]
    [InlineData(RecError.UnknownChannel, 404)]
    [InlineData(RecError.ArtifactNotFound, 404)]
    [InlineData(RecError.ArtifactCorrupt, 422)]
    [InlineData(RecError.InvalidConfiguration, 422)]
    [InlineData(RecError.ChannelNotReady, 503)]
    public void EveryFrameworkErrorHasItsStatus(RecError error, int status) =>
        Assert.Equal(status, RecFrameworkProblemFilter.StatusOf(error));

    [Fact]
    public void SanitizingReplacesTheRootAndCutsLongRuns()
    {
        var root = Path.Combine(Path.GetTempPath(), "some-root");

        var text = ProblemText.Sanitize($"Version '{new string('v', 500)}' not found under '{root}'.", root);

        Assert.Equal($"Version '{new string('v', ProblemText.MaxValueLength - 1)}… not found under '<artifacts>'.", text);
    }
}

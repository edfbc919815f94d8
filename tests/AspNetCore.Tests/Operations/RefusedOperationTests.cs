using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;

namespace RecFramework.AspNetCore.Tests.Operations;

/// <summary>Refused operations answer problem details naming the value and leave the store and the served configuration untouched.</summary>
public sealed class RefusedOperationTests : IDisposable
{
    private readonly string _store = ExperimentLifecycleTests.StorePath();

    public void Dispose() => ExperimentLifecycleTests.DeleteStore(_store);

    [Fact]
    public async Task EveryRefusalNamesItsValueAndChangesNothing()
    {
        await using var service = await ServiceUnderTest.StartAsync(ExperimentLifecycleTests.Configuration(_store));
        var router = service.App.Services.GetRequiredService<IExperimentRouter>();
        await ExperimentLifecycleTests.PostAsync(service, "/admin/experiments", ExperimentLifecycleTests.CreateBody());
        await ExperimentLifecycleTests.PostAsync(service, "/admin/experiments", new
        {
            layer = "recall", name = "exp-b", buckets = new[] { "350-449" }, variants = new[] { new { name = "control", share = 0.4 }, new { name = "big", share = 0.6 } },
        });
        await ExperimentLifecycleTests.PostAsync(service, "/admin/experiments/exp-a/start", new { });
        var stored = await File.ReadAllBytesAsync(_store);
        var served = router.Current.Version;

        await RefusedAsync(service, "/admin/experiments/nope/start", new { }, HttpStatusCode.NotFound, "UnknownExperiment", "'nope'");
        await RefusedAsync(service, "/admin/experiments/exp-a/launch", new { variant = "winner" }, HttpStatusCode.BadRequest, "UnknownVariant", "'winner'");
        await RefusedAsync(service, "/admin/experiments/exp-a/launch", new { variant = "treatment", reverseShare = 1.5 }, HttpStatusCode.BadRequest, "InvalidValue", "reverseShare 1.5");
        await RefusedAsync(service, "/admin/experiments/exp-a/launch", new { variant = "treatment", reverseShare = 0.5 }, HttpStatusCode.BadRequest, "InvalidValue", "holds 400 of 1000");
        await RefusedAsync(service, "/admin/experiments/exp-b/launch", new { variant = "big" }, HttpStatusCode.Conflict, "WrongStatus", "status is Stopped, not Running");
        await RefusedAsync(service, "/admin/experiments/exp-a/start", new { }, HttpStatusCode.Conflict, "WrongStatus", "status is Running, not Stopped");
        await RefusedAsync(service, "/admin/experiments/exp-a/close-reverse", new { }, HttpStatusCode.Conflict, "WrongStatus", "not Launched");
        await RefusedAsync(service, "/admin/experiments/exp-a/stop", new { expectedVersion = 2 }, HttpStatusCode.Conflict, "VersionConflict", "expectedVersion 2");
        await RefusedAsync(service, "/admin/holdout/rotate", new { salt = "recall" }, HttpStatusCode.UnprocessableEntity, "InvalidConfiguration", "'recall' is already the salt of the holdout");
        await RefusedAsync(service, "/admin/experiments/exp-a/stop", new { userIdFrom = 10, userIdTo = 1 }, HttpStatusCode.BadRequest, "InvalidValue", "userIdFrom 10");

        // Starting exp-b overlaps exp-a (buckets 350-399): refused with every failure named.
        var overlap = await RefusedAsync(service, "/admin/experiments/exp-b/start", new { }, HttpStatusCode.UnprocessableEntity, "InvalidConfiguration", "overlaps experiment 'exp-a'");
        Assert.Contains(overlap.GetProperty("failures").EnumerateArray(), f => f.GetString()!.Contains("first shared bucket 350", StringComparison.Ordinal));
        // A new experiment whose shares do not add up, and a bad bucket range: both failures at once.
        var invalid = await RefusedAsync(service, "/admin/experiments", new
        {
            layer = "recall", name = "exp-c", buckets = new[] { "900-1200" }, variants = new[] { new { name = "a", share = 0.3 }, new { name = "b", share = 0.3 } },
        }, HttpStatusCode.UnprocessableEntity, "InvalidConfiguration", "add up to 0.6");
        Assert.Equal(2, invalid.GetProperty("failures").GetArrayLength());
        Assert.Contains("'900-1200' is outside the bucket count 1000", invalid.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        await RefusedAsync(service, "/admin/experiments", new
        {
            layer = "ranking", name = "exp-d", buckets = new[] { "0-9" }, variants = new[] { new { name = "a", share = 1.0 } },
        }, HttpStatusCode.NotFound, "UnknownExperiment", "layer 'ranking'");

        Assert.Equal(stored, await File.ReadAllBytesAsync(_store));
        Assert.Equal(served, router.Current.Version);
        using var audit = JsonDocument.Parse(await service.Client.GetStringAsync(new Uri("/admin/experiments/audit", UriKind.Relative)));
        Assert.Equal(3, audit.RootElement.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task OperationsNeedTheAdminKey()
    {
        await using var service = await ServiceUnderTest.StartAsync(ExperimentLifecycleTests.Configuration(_store));
        using var client = service.App.GetTestClient();
        using var response = await client.PostAsJsonAsync(new Uri("/admin/holdout/rotate", UriKind.Relative), new { });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(File.Exists(_store));
    }

    private static async Task<JsonElement> RefusedAsync(ServiceUnderTest service, string path, object body, HttpStatusCode status, string error, string named)
    {
        using var response = await service.Client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(error, problem.GetProperty("error").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        return problem;
    }
}

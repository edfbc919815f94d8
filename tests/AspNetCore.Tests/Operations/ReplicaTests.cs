using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;

namespace RecFramework.AspNetCore.Tests.Operations;

/// <summary>Two replicas on one store: a change made through one is served by the other after its next poll.</summary>
public sealed class ReplicaTests : IDisposable
{
    private readonly string _store = ExperimentLifecycleTests.StorePath();

    public void Dispose() => ExperimentLifecycleTests.DeleteStore(_store);

    [Fact]
    public async Task AChangeThroughOneReplicaIsServedByTheOther()
    {
        await using var first = await ServiceUnderTest.StartAsync(ExperimentLifecycleTests.Configuration(_store));
        await using var second = await ServiceUnderTest.StartAsync(ExperimentLifecycleTests.Configuration(_store));
        var secondRouter = second.App.Services.GetRequiredService<IExperimentRouter>();
        var initial = secondRouter.Current.Version;

        await ExperimentLifecycleTests.PostAsync(first, "/admin/experiments", ExperimentLifecycleTests.CreateBody());
        var started = await ExperimentLifecycleTests.PostAsync(first, "/admin/experiments/exp-a/start", new { });
        var expected = started.GetProperty("configVersion").GetString();

        // Polled every 100 ms; a generous bound for busy machines (the assertion is the version, not the time).
        for (var i = 0; i < 600 && secondRouter.Current.Version != expected; i++)
        {
            await Task.Delay(100);
        }

        Assert.NotEqual(initial, expected);
        Assert.Equal(expected, secondRouter.Current.Version);
        var user = Enumerable.Range(1, 10_000).First(u => !secondRouter.Assign(u).Holdout && Bucketing.Bucket("recall", u, 1000) >= 200 && Bucketing.Bucket("recall", u, 1000) < 400);
        Assert.Equal("treatment", secondRouter.Assign(user).Layer("recall")!.Variant);

        // The second replica's own next change starts from the stored version, not from its appsettings.
        var stopped = await ExperimentLifecycleTests.PostAsync(second, "/admin/experiments/exp-a/stop", new { expectedVersion = 2 });
        Assert.Equal(3, stopped.GetProperty("storeVersion").GetInt64());

        // Reloading the configuration files keeps the stored configuration: the store is the authority once written.
        using var reload = await second.Client.PostAsync(new Uri("/admin/config/reload", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.OK, reload.StatusCode);
        Assert.Equal(stopped.GetProperty("configVersion").GetString(), secondRouter.Current.Version);
        Assert.NotEqual(initial, secondRouter.Current.Version);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>The services of the model-update worker tests: an ItemCF channel updated every 10 minutes from a 60-minute window.</summary>
internal static class UpdateWorkerTestHost
{
    /// <summary>How long (real time) a test waits for the worker to react to a clock step.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);

    /// <summary>Services with the event log <paramref name="events"/> and the artifacts under <paramref name="dir"/>, <paramref name="extra"/> settings on top.</summary>
    public static ServiceProvider CreateServices(string dir, TimeProvider time, Dictionary<string, string?> extra, string events = "events.db", Data.InteractionDataset? startup = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Stores:EventsPath"] = Path.Combine(dir, events),
            ["RecFramework:Artifacts:Root"] = Path.Combine(dir, "artifacts"),
            ["RecFramework:Updates:Enabled"] = "true",
            ["RecFramework:Updates:Channels:itemcf:EveryMinutes"] = "10",
            ["RecFramework:Updates:Channels:itemcf:WindowMinutes"] = "60",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection().AddSingleton(time);
        services.AddFakeLogging();
        var builder = services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).AddItemCFChannel().AddModelUpdates();
        if (startup is not null)
        {
            builder.UseStartupData(_ => startup);
        }

        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Advances the fake clock by <paramref name="by"/> and waits (real time, generously) for <paramref name="done"/>.</summary>
    /// <param name="time">The fake clock.</param>
    /// <param name="by">How far to move it.</param>
    /// <param name="done">What the test waits for.</param>
    /// <param name="what">Named in the failure.</param>
    /// <param name="describe">What the failure message adds (e.g. the workers' log lines).</param>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan by, Func<bool> done, string what, Func<string>? describe = null)
    {
        time.Advance(by);
        using var timeout = new CancellationTokenSource(Wait);
        while (!done())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}{(describe is null ? "" : "; " + describe())}");
            await Task.Delay(20);
        }
    }
}

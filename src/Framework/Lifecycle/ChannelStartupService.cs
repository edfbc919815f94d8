using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Data;
using RecFramework.Diagnostics;
using RecFramework.Stores;

namespace RecFramework.Lifecycle;

/// <summary>
/// Hosted start-up of a service (registered by <c>AddRecFramework</c>, options <see cref="ChannelStartupOptions"/>):
/// seeds the online stores from the start-up data when there is any, then brings every channel up through
/// <see cref="ChannelLifecycle"/> (latest published version, or one built from the data). A channel that cannot be
/// brought up is logged and left unready; the service still starts and the pipeline skips it.
/// </summary>
public sealed class ChannelStartupService(
    IServiceProvider services,
    ChannelLifecycle lifecycle,
    IOptions<ChannelStartupOptions> options,
    ILogger<ChannelStartupService> logger) : IHostedService
{
    private volatile IReadOnlyList<ChannelBringUp> _outcomes = [];
    private volatile string? _current;

    /// <summary>True once start-up has finished (whatever each channel's outcome).</summary>
    public bool Completed { get; private set; }

    /// <summary>The channel being built or opened now, or null.</summary>
    public string? Current => _current;

    /// <summary>Per-channel outcomes so far.</summary>
    public IReadOnlyList<ChannelBringUp> Outcomes => _outcomes;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            Completed = true;
            return;
        }

        var watch = Stopwatch.StartNew();
        var data = LoadData(settings);
        if (data is not null && settings.SeedStores)
        {
            await OnlineStoreSeeder.SeedAsync(data, services, cancellationToken).ConfigureAwait(false);
            Log.Seeded(logger, data.Name, data.Interactions.Length);
        }

        var outcomes = new List<ChannelBringUp>();
        foreach (var name in lifecycle.Channels)
        {
            _current = name;
            outcomes.Add(await lifecycle.BringUpAsync(name, data, settings.BuildMissing, cancellationToken).ConfigureAwait(false));
            _outcomes = outcomes.ToArray();
        }

        _current = null;
        Completed = true;
        var ready = outcomes.Count(o => o.Outcome is ChannelBringUpOutcome.Built or ChannelBringUpOutcome.Opened);
        var unready = outcomes.Count(o => o.Outcome is ChannelBringUpOutcome.Failed or ChannelBringUpOutcome.Skipped);
        Log.StartupFinished(logger, watch.Elapsed.TotalSeconds, ready, unready);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private InteractionDataset? LoadData(ChannelStartupOptions settings)
    {
        if (services.GetService<StartupData>() is { } given)
        {
            return given.Load(services);
        }

        return settings.DataPath is { Length: > 0 } path ? DatasetLoader.Load(path) : null;
    }
}

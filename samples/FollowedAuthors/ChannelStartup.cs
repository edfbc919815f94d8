using RecFramework;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Stores;

namespace FollowedAuthors;

/// <summary>
/// Start-up work of a service built on RecFramework: fill the online stores from the data snapshot, then give every
/// artifact-backed channel (itemcf, swing, usercf, two-tower) a model — the latest published version, or one built
/// now from the snapshot when none is published yet. The web server starts listening after this has finished.
/// </summary>
public sealed partial class ChannelStartup(
    IServiceProvider services,
    InteractionDataset data,
    ChannelCatalog catalog,
    IArtifactStore artifacts,
    IUserHistoryStore history,
    IItemPopularityStore popularity,
    IUserProfileStore profiles,
    ILogger<ChannelStartup> logger) : IHostedService
{
    /// <summary>True once every artifact-backed channel serves a version.</summary>
    public bool Ready { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await OnlineStoreSeeder.SeedAsync(data, history, popularity, profiles, cancellationToken);
        LogSeeded(logger, data.Name, data.Interactions.Length);
        foreach (var name in catalog.Names)
        {
            if (services.GetRequiredKeyedService<IRecallChannel>(name) is not IArtifactChannel channel)
            {
                continue;
            }

            var started = TimeProvider.System.GetTimestamp();
            ArtifactHandle handle;
            if (artifacts.List(name).Count > 0)
            {
                handle = artifacts.Open(name);
            }
            else
            {
                var builder = services.GetKeyedService<IChannelBuilder>(name)
                    ?? throw new RecFrameworkException(RecError.InvalidConfiguration, $"Channel {name} has no artifact and no builder.");
                handle = await builder.BuildAsync(new ChannelBuildContext { Channel = name, Data = data, Store = artifacts }, cancellationToken);
            }

            await channel.ActivateAsync(handle, cancellationToken);
            LogActivated(logger, name, handle.Manifest.Version, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        }

        Ready = true;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Seeded the online stores from {Dataset} ({Events} events)")]
    private static partial void LogSeeded(ILogger logger, string dataset, int events);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Channel {Channel} serves {Version} (ready in {Seconds:F1} s)")]
    private static partial void LogActivated(ILogger logger, string channel, string version, double seconds);
}

using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Stores;

namespace RecFramework.Host;

/// <summary>
/// At start-up: seeds the online stores from <see cref="ServeSettings.DataPath"/> (when given) and activates the
/// latest artifact of every artifact-backed channel, building missing ones from the data when allowed. A channel
/// that cannot be loaded is logged and left unready; the service still starts and the pipeline skips it.
/// </summary>
internal sealed partial class StartupLoader(
    IServiceProvider services,
    ServeSettings settings,
    ChannelCatalog catalog,
    IArtifactStore artifacts,
    Microsoft.Extensions.Options.IOptionsMonitor<RecFramework.Pipeline.ChannelOptions> channelOptions,
    ILogger<StartupLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        InteractionDataset? data = null;
        if (settings.DataPath is not null)
        {
            data = DatasetLoader.Load(settings.DataPath);
            await OnlineStoreSeeder.SeedAsync(
                data,
                services.GetRequiredService<IUserHistoryStore>(),
                services.GetRequiredService<IItemPopularityStore>(),
                services.GetRequiredService<IUserProfileStore>(),
                cancellationToken).ConfigureAwait(false);
            LogSeeded(logger, data.Name, data.Interactions.Length);
        }

        foreach (var name in catalog.Names)
        {
            if (services.GetRequiredKeyedService<IRecallChannel>(name) is not IArtifactChannel channel)
            {
                continue;
            }

            try
            {
                ArtifactHandle handle;
                var published = artifacts.List(name).Count > 0;
                if (!published && !channelOptions.Get(name).Enabled)
                {
                    continue;
                }

                if (!published && data is not null && settings.BuildMissing
                    && services.GetKeyedService<IChannelBuilder>(name) is { } builder)
                {
                    handle = await builder.BuildAsync(new ChannelBuildContext { Channel = name, Data = data, Store = artifacts }, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    handle = artifacts.Open(name);
                }

                await channel.ActivateAsync(handle, cancellationToken).ConfigureAwait(false);
                LogActivated(logger, name, handle.Manifest.Version);
            }
            catch (RecFrameworkException ex)
            {
                LogNotLoaded(logger, name, ex.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Seeded online stores from {Dataset} ({Events} events)")]
    private static partial void LogSeeded(ILogger logger, string dataset, int events);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Channel {Channel} serving artifact {Version}")]
    private static partial void LogActivated(ILogger logger, string channel, string version);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Channel {Channel} has no usable artifact and stays unready: {Reason}")]
    private static partial void LogNotLoaded(ILogger logger, string channel, string reason);
}

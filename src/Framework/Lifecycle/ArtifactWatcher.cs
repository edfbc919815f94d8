using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Diagnostics;

namespace RecFramework.Lifecycle;

/// <summary>
/// Lets a serving replica pick up new versions by itself (registered by <c>AddRecFramework</c>; on when
/// <see cref="ArtifactStoreOptions.WatchSeconds"/> is above 0): every period, once start-up has finished, it reads the
/// version the artifact store records as active for each artifact-backed channel
/// (<see cref="IArtifactStore.ActiveVersion"/>) and, when the channel serves another one, opens and hot swaps to it
/// off the thread pool, as an admin activation does (requests in flight finish on the version they started with).
/// Channels that serve nothing yet are swapped only when some request can reach them. A version that does not load is
/// logged once and left; the replica keeps its version until the record names another.
/// </summary>
public sealed class ArtifactWatcher(
    ChannelLifecycle lifecycle,
    ChannelStartupService startup,
    IChannelReachability reachability,
    IOptions<ArtifactStoreOptions> options,
    TimeProvider time,
    ILogger<ArtifactWatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, string> _failed = new(StringComparer.Ordinal);

    /// <summary>Checks every channel once now (what each period does); returns the channels swapped.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken = default)
    {
        var swapped = new List<string>();
        if (!startup.Completed)
        {
            return swapped; // start-up brings the recorded version up itself; never race it
        }

        foreach (var channel in lifecycle.Channels)
        {
            await lifecycle.ActivationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (await CheckAsync(channel, cancellationToken).ConfigureAwait(false))
                {
                    swapped.Add(channel);
                }
            }
            finally
            {
                lifecycle.ActivationGate.Release();
            }
        }

        return swapped;
    }

    /// <summary>One channel's check; the caller holds the lifecycle's activation gate.</summary>
    private async Task<bool> CheckAsync(string channel, CancellationToken cancellationToken)
    {
        if (lifecycle.ArtifactChannel(channel) is not { } target || lifecycle.Store.ActiveVersion(channel) is not { } recorded)
        {
            return false;
        }

        var serving = target.ActiveVersion;
        if (string.Equals(recorded, serving, StringComparison.Ordinal)
            || (_failed.TryGetValue(channel, out var failed) && string.Equals(failed, recorded, StringComparison.Ordinal))
            || (serving is null && !reachability.IsReachable(channel, out _)))
        {
            return false;
        }

        try
        {
            Log.WatchSwapping(logger, channel, recorded, serving ?? "(none)");
            await lifecycle.ActivateAsync(channel, lifecycle.Open(channel, recorded), offThreadPool: true, record: false, cancellationToken).ConfigureAwait(false);
            _failed.Remove(channel);
            return true;
        }
        catch (RecFrameworkException ex)
        {
            _failed[channel] = recorded;
            Log.WatchFailed(logger, channel, recorded, ex.Message, serving ?? "(none)");
            return false;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.WatchSeconds;
        if (seconds <= 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), time, stoppingToken).ConfigureAwait(false);
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.WatchFailed(logger, "(store)", "(unread)", ex.Message, "every version");
            }
        }
    }
}

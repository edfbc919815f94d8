using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Activation with <see cref="NeighbourSource.Store"/>: makes sure the artifact's neighbour lists are in the store.
/// The first replica to claim the version publishes every list (then the marker); the others see the marker, or poll
/// for it while the claim is held, and take over when a crashed publisher's claim runs out.
/// </summary>
internal static class NeighbourStorePublication
{
    /// <summary>Pause between two looks at the marker while another replica publishes.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Publishes <paramref name="artifact"/>'s lists unless the version is published; true when this call published.</summary>
    /// <exception cref="RecFrameworkException">Another replica's publication did not finish in time (<see cref="RecError.ChannelNotReady"/>).</exception>
    public static async Task<bool> EnsurePublishedAsync(INeighbourListStore store, string channel, CfArtifact artifact, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var version = artifact.Version;
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var watch = Stopwatch.StartNew();
        var waiting = false;
        while (true)
        {
            if (await store.IsPublishedAsync(channel, version, cancellationToken).ConfigureAwait(false))
            {
                Log.NeighboursAlreadyPublished(logger, channel, version);
                return false;
            }

            if (await store.TryClaimAsync(channel, version, owner, timeout, cancellationToken).ConfigureAwait(false))
            {
                var publishing = Stopwatch.StartNew();
                try
                {
                    await store.PublishAsync(channel, version, Lists(artifact.Neighbours), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await ReleaseQuietlyAsync(store, channel, version, owner, logger).ConfigureAwait(false);
                    throw;
                }

                Log.NeighboursPublished(logger, channel, artifact.Neighbours.RowCount, version, publishing.Elapsed.TotalMilliseconds);
                return true;
            }

            if (watch.Elapsed > timeout)
            {
                throw new RecFrameworkException(RecError.ChannelNotReady,
                    $"Channel '{channel}': another replica claimed the neighbour lists of version {version} but did not finish publishing them within {timeout.TotalSeconds:F0} s (NeighbourPublishTimeoutSeconds).");
            }

            if (!waiting)
            {
                Log.NeighboursAwaitingPublication(logger, channel, version);
                waiting = true;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases this replica's claim after a failed publication; a failure here only means the lease runs out instead.</summary>
    private static async Task ReleaseQuietlyAsync(INeighbourListStore store, string channel, string version, string owner, ILogger logger)
    {
        try
        {
            await store.ReleaseClaimAsync(channel, version, owner, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ClaimReleaseFailed(logger, channel, version, ex);
        }
    }

    /// <summary>Every row of <paramref name="neighbours"/> as (row id, list of column ids and values), rows in id order.</summary>
    public static IEnumerable<KeyValuePair<long, NeighbourList>> Lists(CsrMatrix neighbours)
    {
        for (var r = 0; r < neighbours.RowCount; r++)
        {
            var columns = neighbours.ColumnsOf(r);
            var ids = new long[columns.Length];
            for (var k = 0; k < ids.Length; k++)
            {
                ids[k] = neighbours.ColumnIds[columns[k]];
            }

            yield return new(neighbours.RowIds[r], new NeighbourList(ids, neighbours.ValuesOf(r).ToArray()));
        }
    }
}

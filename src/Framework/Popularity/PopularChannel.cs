using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Stores;

namespace RecFramework.Popularity;

/// <summary>
/// The popularity channel (<c>popular</c> by default; its registration names it): the most popular items the user has not seen. It is the pipeline's
/// default fallback for cold-start users and short results. Activating an artifact loads its counts into the
/// <see cref="IItemPopularityStore"/>; events then keep the store current.
/// </summary>
[RecallChannel(ChannelName)]
internal sealed class PopularChannel(IItemPopularityStore store, [ServiceKey] string name = PopularChannel.ChannelName) : IRecallChannel, IArtifactChannel
{
    /// <summary>The default channel name.</summary>
    public const string ChannelName = "popular";

    /// <summary>Default quota of a popularity channel: one default answer's worth (the pipeline's DefaultK).</summary>
    public const int DefaultQuota = 50;

    /// <summary>File holding "item_id\tcount" lines, most popular first.</summary>
    public const string FileName = "popularity.tsv";

    private volatile string? _version;

    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public string? ActiveVersion => _version;

    /// <inheritdoc />
    public async ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var top = await store.GetTopAsync(request.K + request.Exclude.Count, cancellationToken).ConfigureAwait(false);
        var items = ArrayPool<ScoredItem>.Shared.Rent(Math.Max(1, Math.Min(request.K, top.Count)));
        var count = 0;
        for (var i = 0; i < top.Count; i++)
        {
            var item = top[i];
            if (count == request.K)
            {
                break;
            }

            if (!request.Exclude.Contains(item.ItemId))
            {
                items[count++] = item;
            }
        }

        return RecallResult.FromPool(items, count, _version);
    }

    /// <inheritdoc />
    public async ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var counts = new Dictionary<long, double>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(artifact.PathOf(FileName), cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0 || !long.TryParse(line.AsSpan(0, tab), NumberStyles.Integer, CultureInfo.InvariantCulture, out var item)
                || !double.TryParse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                throw new RecFrameworkException(RecError.ArtifactCorrupt, $"{artifact.PathOf(FileName)}:{lineNumber}: expected 'item_id<TAB>count', got '{line}'.");
            }

            counts[item] = count;
        }

        await store.ReplaceAsync(counts, cancellationToken).ConfigureAwait(false);
        _version = artifact.Manifest.Version;
    }
}

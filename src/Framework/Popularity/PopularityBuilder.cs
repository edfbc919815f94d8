using System.Diagnostics;
using System.Globalization;
using System.Text;
using RecFramework.Artifacts;
using RecFramework.Channels;

namespace RecFramework.Popularity;

/// <summary>Counts positive interactions per item and publishes them as an artifact of the channel being built (<c>popular</c> by default).</summary>
internal sealed class PopularityBuilder : IChannelBuilder
{
    /// <inheritdoc />
    public Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var watch = Stopwatch.StartNew();
        var counts = new Dictionary<long, double>();
        foreach (ref readonly var e in context.Data.Interactions.AsSpan())
        {
            if (e.IsPositive)
            {
                counts[e.ItemId] = counts.GetValueOrDefault(e.ItemId) + 1;
            }
        }

        var draft = context.Store.CreateDraft(context.Channel);
        var text = new StringBuilder();
        foreach (var (item, count) in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
        {
            text.Append(item.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(draft.PathOf(PopularChannel.FileName), text.ToString());
        context.Progress?.Report(new BuildProgress(1, $"{counts.Count} items counted"));
        var (from, to) = context.Data.TimeRange;
        return Task.FromResult(context.Store.Publish(draft, new ArtifactManifest
        {
            Channel = context.Channel,
            Version = draft.Version,
            Dataset = context.Data.Name,
            DataFrom = from,
            DataTo = to,
            Data = RecFramework.Data.DataFingerprint.Of(context.Data),
            Metrics = { ["items"] = counts.Count, ["build_seconds"] = watch.Elapsed.TotalSeconds },
        }));
    }
}

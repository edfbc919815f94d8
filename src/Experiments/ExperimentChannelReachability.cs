using Microsoft.Extensions.Options;
using RecFramework.Lifecycle;
using RecFramework.Pipeline;

namespace RecFramework.Experiments;

/// <summary>
/// Reachability under the experiment configuration: a channel is reachable when a layer default, a variant (running,
/// launched or reverse) names it in its <c>channels</c> parameter, when it is the fallback, or — only while no layer
/// default sets <c>channels</c>, so that some users still get the default plan — when it is enabled.
/// </summary>
internal sealed class ExperimentChannelReachability(
    IOptionsMonitor<ExperimentsOptions> experiments,
    IOptionsMonitor<ChannelOptions> channels,
    IOptionsMonitor<RecallPipelineOptions> pipeline) : IChannelReachability
{
    public bool IsReachable(string channel, out string reason)
    {
        if (string.Equals(channel, pipeline.CurrentValue.FallbackChannel, StringComparison.Ordinal))
        {
            reason = "the pipeline's fallback channel";
            return true;
        }

        var config = experiments.CurrentValue;
        foreach (var layer in config.Layers)
        {
            if (Names(layer.Parameters, channel))
            {
                reason = $"named by layer '{layer.Name}'s default";
                return true;
            }

            foreach (var experiment in layer.Experiments)
            {
                foreach (var variant in experiment.Variants.Where(v => Names(v.Parameters, channel)))
                {
                    reason = $"named by variant '{experiment.Name}/{variant.Name}' of layer '{layer.Name}'";
                    return true;
                }
            }
        }

        var defaultPlanServed = !config.Layers.Any(l => l.Parameters.ContainsKey(RecallParameterKeys.Channels));
        if (defaultPlanServed && channels.Get(channel).Enabled)
        {
            reason = "enabled, so in the default plan (no layer default sets 'channels')";
            return true;
        }

        reason = defaultPlanServed
            ? $"disabled ({ChannelOptions.SectionOf(channel)}:Enabled = false) and no layer or variant names it in 'channels'"
            : "no layer default or variant names it in 'channels', and every user gets a layer's 'channels'";
        return false;
    }

    public IReadOnlyList<string> PinnedVersions(string channel)
    {
        var key = $"{channel}.{RecallParameterKeys.Version}";
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var layer in experiments.CurrentValue.Layers)
        {
            Add(layer.Parameters);
            foreach (var variant in layer.Experiments.SelectMany(e => e.Variants))
            {
                Add(variant.Parameters);
            }
        }

        return [.. versions];

        void Add(Dictionary<string, string> parameters)
        {
            if (parameters.TryGetValue(key, out var version) && !string.IsNullOrWhiteSpace(version))
            {
                versions.Add(version.Trim());
            }
        }
    }

    private static bool Names(Dictionary<string, string> parameters, string channel) =>
        parameters.TryGetValue(RecallParameterKeys.Channels, out var list)
        && list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(channel, StringComparer.Ordinal);
}

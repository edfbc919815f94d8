using Microsoft.Extensions.Options;
using RecFramework.Pipeline;

namespace RecFramework.Lifecycle;

/// <summary>Without experiments every request runs the default plan: the enabled channels, and the fallback.</summary>
internal sealed class DefaultPlanReachability(IOptionsMonitor<ChannelOptions> channels, IOptionsMonitor<RecallPipelineOptions> pipeline) : IChannelReachability
{
    public bool IsReachable(string channel, out string reason)
    {
        if (string.Equals(channel, pipeline.CurrentValue.FallbackChannel, StringComparison.Ordinal))
        {
            reason = "the pipeline's fallback channel";
            return true;
        }

        var enabled = channels.Get(channel).Enabled;
        reason = enabled ? "enabled, so in the default plan" : $"disabled ({ChannelOptions.SectionOf(channel)}:Enabled = false) and no experiment names it";
        return enabled;
    }
}

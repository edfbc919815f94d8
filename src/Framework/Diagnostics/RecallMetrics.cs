using System.Diagnostics.Metrics;

namespace RecFramework.Diagnostics;

/// <summary>Pipeline instruments on the <c>RecFramework</c> meter.</summary>
public sealed class RecallMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "RecFramework";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _coldStarts;
    private readonly Histogram<double> _requestLatency;
    private readonly Histogram<double> _channelLatency;
    private readonly Counter<long> _channelErrors;
    private readonly Counter<long> _channelTimeouts;

    /// <summary>Creates the instruments from the container's meter factory.</summary>
    public RecallMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("recfw.requests", description: "Recommendation requests served.");
        _coldStarts = meter.CreateCounter<long>("recfw.cold_starts", description: "Requests served to cold-start users.");
        _requestLatency = meter.CreateHistogram<double>("recfw.request.duration", "ms", "Pipeline latency per request.");
        _channelLatency = meter.CreateHistogram<double>("recfw.channel.duration", "ms", "Channel latency per request.");
        _channelErrors = meter.CreateCounter<long>("recfw.channel.errors", description: "Channel calls that threw.");
        _channelTimeouts = meter.CreateCounter<long>("recfw.channel.timeouts", description: "Channel calls cut off by their timeout.");
    }

    internal void Request(double elapsedMs, bool coldStart)
    {
        _requests.Add(1);
        _requestLatency.Record(elapsedMs);
        if (coldStart)
        {
            _coldStarts.Add(1);
        }
    }

    internal void Channel(string channel, double elapsedMs, Pipeline.ChannelStatus status)
    {
        var tag = new KeyValuePair<string, object?>("channel", channel);
        _channelLatency.Record(elapsedMs, tag);
        if (status == Pipeline.ChannelStatus.Failed)
        {
            _channelErrors.Add(1, tag);
        }
        else if (status == Pipeline.ChannelStatus.TimedOut)
        {
            _channelTimeouts.Add(1, tag);
        }
    }
}

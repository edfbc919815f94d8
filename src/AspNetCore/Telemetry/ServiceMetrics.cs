using System.Diagnostics.Metrics;

namespace RecFramework.AspNetCore.Telemetry;

/// <summary>The service's own instruments on the <c>RecFramework.Host</c> meter (the pipeline's are on <c>RecFramework</c>).</summary>
internal sealed class ServiceMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "RecFramework.Service";

    private readonly Counter<long> _eventsAccepted;
    private readonly Counter<long> _eventsRejected;
    private readonly Counter<long> _activations;
    private readonly Counter<long> _badRequests;

    public ServiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _eventsAccepted = meter.CreateCounter<long>("recfw.events.accepted", description: "Events made durable by POST /events, by type.");
        _eventsRejected = meter.CreateCounter<long>("recfw.events.rejected", description: "Events rejected by POST /events validation.");
        _activations = meter.CreateCounter<long>("recfw.artifact.activations", description: "Artifact activations (hot swaps) by channel and outcome.");
        _badRequests = meter.CreateCounter<long>("recfw.recommend.rejected", description: "GET /recommend requests answered 400 (bad user id or k).");
    }

    public void EventAccepted(string type) => _eventsAccepted.Add(1, new KeyValuePair<string, object?>("type", type));

    public void EventsRejected(int count)
    {
        if (count > 0)
        {
            _eventsRejected.Add(count);
        }
    }

    public void Activation(string channel, bool ok) =>
        _activations.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));

    public void BadRecommendRequest() => _badRequests.Add(1);
}

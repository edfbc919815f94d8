using RecFramework.Experiments;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// Logs what the service would log for a request: the request with the user's assignment, one exposure per returned
/// item (attributed to its first channel) and clicks on exposed items.
/// </summary>
public sealed class TrafficRecorder
{
    private readonly Dictionary<string, AssignmentStamp> _stamps = new(StringComparer.Ordinal);

    /// <summary>Requests logged.</summary>
    public List<RequestRecord> Requests { get; } = [];

    /// <summary>Exposures logged.</summary>
    public List<ExposureRecord> Exposures { get; } = [];

    /// <summary>Clicks logged.</summary>
    public List<ClickRecord> Clicks { get; } = [];

    /// <summary>Typed positive events other than clicks (like, share, dwell, complete) logged.</summary>
    public List<EngagementRecord> Engagements { get; } = [];

    /// <summary>The stamp of an assignment (shared between records of the same buckets and version).</summary>
    public AssignmentStamp Stamp(ExperimentAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (!_stamps.TryGetValue(assignment.Tag, out var stamp))
        {
            stamp = assignment.Stamp;
            _stamps[assignment.Tag] = stamp;
        }

        return stamp;
    }

    /// <summary>Logs a served request and its exposures; <paramref name="clicked"/> decides, per position and item, whether it was clicked.</summary>
    public void Record(ExperimentRecommendation served, int day, Func<int, long, bool> clicked)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(clicked);
        var (requestId, response, k) = (served.RequestId, served.Response, served.K);
        var stamp = Stamp(served.Assignment);
        Requests.Add(new RequestRecord(requestId, response.UserId, day, k, stamp));
        for (var position = 0; position < response.Items.Count; position++)
        {
            var item = response.Items[position];
            var channel = LoggedEvent.ChannelOf(item);
            Exposures.Add(new ExposureRecord(requestId, response.UserId, day, item.ItemId, position, channel, stamp) { Team = served.Teams?[position] });
            if (clicked(position, item.ItemId))
            {
                Clicks.Add(new ClickRecord(requestId, response.UserId, day, item.ItemId, position, channel, stamp));
            }
        }
    }

    /// <summary>Logs a typed positive event (like, share, dwell with its seconds…) on the last recorded click of <paramref name="itemId"/> in <paramref name="requestId"/>.</summary>
    /// <exception cref="InvalidOperationException">The item was not clicked in that request.</exception>
    public void Engage(string requestId, long itemId, InteractionType type, double? value)
    {
        var click = Clicks.FindLast(c => c.ItemId == itemId && c.RequestId == requestId)
            ?? throw new InvalidOperationException($"Item {itemId} was not clicked in request '{requestId}'.");
        Engagements.Add(new EngagementRecord(requestId, click.UserId, click.Day, itemId, click.Position, click.Channel, type.ToName(), value, click.Assignment));
    }

    /// <summary>
    /// The recorded traffic as an <see cref="ExperimentLog"/>, with each user's positive events of
    /// <paramref name="prePeriod"/> counted as the CUPED covariate.
    /// </summary>
    public ExperimentLog ToLog(IEnumerable<Interaction> prePeriod, int catalogSize, IReadOnlyDictionary<long, int>? relevantCounts = null)
    {
        ArgumentNullException.ThrowIfNull(prePeriod);
        var pre = new Dictionary<long, double>();
        foreach (var e in prePeriod)
        {
            if (e.IsPositive)
            {
                pre[e.UserId] = pre.GetValueOrDefault(e.UserId) + 1;
            }
        }

        return new ExperimentLog
        {
            Requests = Requests,
            Exposures = Exposures,
            Clicks = Clicks,
            Engagements = Engagements,
            RelevantCounts = relevantCounts,
            PrePeriod = pre,
            CatalogSize = catalogSize,
        };
    }
}

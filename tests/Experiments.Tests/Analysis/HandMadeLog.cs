using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>Builds small logs by hand: one layer "recall" with experiment "exp", three items (10, 11, 12) shown per request.</summary>
internal sealed class HandMadeLog
{
    private readonly Dictionary<string, AssignmentStamp> _stamps = new(StringComparer.Ordinal);
    private readonly List<RequestRecord> _requests = [];
    private readonly List<ExposureRecord> _exposures = [];
    private readonly List<ClickRecord> _clicks = [];
    private readonly List<EngagementRecord> _engagements = [];

    public static readonly long[] Items = [10, 11, 12];

    public AssignmentStamp Stamp(string variant)
    {
        if (!_stamps.TryGetValue(variant, out var stamp))
        {
            _stamps[variant] = stamp = new AssignmentStamp(false, "v1", [new LayerStamp("recall", "exp", variant, variant == "control" ? 0 : 1, false)]);
        }

        return stamp;
    }

    /// <summary>A request of <paramref name="user"/> on <paramref name="day"/>, id "u{user}-d{day}".</summary>
    public HandMadeLog Visit(long user, string variant, params int[] days)
    {
        foreach (var day in days)
        {
            var id = $"u{user}-d{day}";
            _requests.Add(new RequestRecord(id, user, day, Items.Length, Stamp(variant)));
            for (var p = 0; p < Items.Length; p++)
            {
                _exposures.Add(new ExposureRecord(id, user, day, Items[p], p, "popular", Stamp(variant)));
            }
        }

        return this;
    }

    public HandMadeLog Click(long user, string variant, int day, long item)
    {
        _clicks.Add(new ClickRecord($"u{user}-d{day}", user, day, item, Array.IndexOf(Items, item), "popular", Stamp(variant)));
        return this;
    }

    public HandMadeLog Engage(long user, string variant, int day, long item, string type, double? value = null)
    {
        _engagements.Add(new EngagementRecord($"u{user}-d{day}", user, day, item, Math.Max(0, Array.IndexOf(Items, item)), "popular", type, value, Stamp(variant)));
        return this;
    }

    public ExperimentLog Build(IReadOnlyDictionary<long, double>? prePeriod = null) => new()
    {
        Requests = _requests,
        Exposures = _exposures,
        Clicks = _clicks,
        Engagements = _engagements,
        PrePeriod = prePeriod,
    };
}

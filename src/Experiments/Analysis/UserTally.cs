namespace RecFramework.Experiments.Analysis;

/// <summary>Per-user aggregate: the analysis unit.</summary>
internal sealed class UserTally(long userId, AssignmentStamp assignment)
{
    public long UserId { get; } = userId;

    /// <summary>Assignment of the user's first request (a user keeps it for the whole analysis).</summary>
    public AssignmentStamp Assignment { get; } = assignment;

    public List<RequestTally> Requests { get; } = [];

    public double Exposures { get; set; }

    public double Clicks { get; set; }

    public double? Recall { get; set; }

    public double? Ndcg { get; set; }

    public double PrePeriod { get; set; }

    /// <summary>Days with a request.</summary>
    public SortedSet<int> ActiveDays { get; } = [];

    /// <summary>Distinct items clicked or engaged with (like, dwell…) on exposures.</summary>
    public double ItemsConsumed { get; set; }

    /// <summary>Per type other than click: events on exposed items and the sum of their values.</summary>
    public Dictionary<string, (double Count, double ValueSum)> Engagements { get; } = new(StringComparer.Ordinal);
}

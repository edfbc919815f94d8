namespace RecFramework.Experiments.Analysis;

/// <summary>Per-request aggregate built from the log.</summary>
internal sealed class RequestTally(string requestId, long userId, int day, int k, AssignmentStamp assignment)
{
    public string RequestId { get; } = requestId;

    public long UserId { get; } = userId;

    public int Day { get; } = day;

    /// <summary>Items asked for; 0 when unknown (then the number of exposures is used).</summary>
    public int K { get; set; } = k;

    public AssignmentStamp Assignment { get; } = assignment;

    /// <summary>Exposed item → (position, channel).</summary>
    public Dictionary<long, (int Position, string Channel)> Exposed { get; } = [];

    /// <summary>Exposed items that were clicked.</summary>
    public HashSet<long> Clicked { get; } = [];

    /// <summary>
    /// Typed positive events other than clicks on exposed items: (item, type) → value (the largest when repeated; 0 for
    /// kinds without a value).
    /// </summary>
    public Dictionary<(long Item, string Type), double> Engaged { get; } = [];

    /// <summary>Recall@K of the request given <paramref name="relevant"/> relevant items; null when there is none.</summary>
    public double? Recall(int relevant) => relevant > 0 ? (double)Clicked.Count / relevant : null;

    /// <summary>NDCG@K with binary gains, ideal = min(relevant, K) hits at the top; null when there is no relevant item.</summary>
    public double? Ndcg(int relevant)
    {
        if (relevant <= 0)
        {
            return null;
        }

        var dcg = 0.0;
        foreach (var item in Clicked)
        {
            dcg += 1 / Math.Log2(Exposed[item].Position + 2);
        }

        var ideal = Math.Min(relevant, K > 0 ? K : Math.Max(Exposed.Count, 1));
        var idcg = 0.0;
        for (var i = 0; i < ideal; i++)
        {
            idcg += 1 / Math.Log2(i + 2);
        }

        return idcg > 0 ? dcg / idcg : 0;
    }
}

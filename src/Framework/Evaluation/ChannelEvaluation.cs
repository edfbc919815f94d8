namespace RecFramework.Evaluation;

/// <summary>The outcome of evaluating one channel on a <see cref="DatasetSplit"/>.</summary>
public sealed record ChannelEvaluation
{
    /// <summary>The channel name.</summary>
    public required string Channel { get; init; }

    /// <summary>Metrics per cut-off, ascending K.</summary>
    public required IReadOnlyList<MetricsAtK> Metrics { get; init; }

    /// <summary>Wall-clock seconds of the build (0 when the channel has no builder).</summary>
    public double BuildSeconds { get; init; }

    /// <summary>Wall-clock seconds spent scoring all test users.</summary>
    public double RecallSeconds { get; init; }

    /// <summary>Test users scored.</summary>
    public int UsersEvaluated { get; init; }

    /// <summary>Recall calls per second during scoring.</summary>
    public double UsersPerSecond => RecallSeconds > 0 ? UsersEvaluated / RecallSeconds : 0;

    /// <summary>Users for whom the channel returned nothing usable.</summary>
    public int EmptyResults { get; init; }

    /// <summary>Items the channel returned although they were in <c>Exclude</c> (dropped before scoring).</summary>
    public long ExcludedItemsReturned { get; init; }

    /// <summary>The artifact version evaluated, when the channel has one.</summary>
    public string? ArtifactVersion { get; init; }

    /// <summary>The metrics at <paramref name="k"/>.</summary>
    /// <exception cref="KeyNotFoundException">K was not evaluated.</exception>
    public MetricsAtK At(int k) => Metrics.FirstOrDefault(m => m.K == k) ?? throw new KeyNotFoundException($"K={k} was not evaluated (evaluated: {string.Join(",", Metrics.Select(m => m.K))}).");

    /// <summary>Flat figures: recall@K, ndcg@K, hitrate@K, coverage@K for every K, build_seconds, users, users_per_s.</summary>
    public IReadOnlyDictionary<string, double> ToFigures()
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in Metrics)
        {
            figures[$"recall@{m.K}"] = m.Recall;
            figures[$"ndcg@{m.K}"] = m.Ndcg;
            figures[$"hitrate@{m.K}"] = m.HitRate;
            figures[$"coverage@{m.K}"] = m.Coverage;
        }

        figures["build_seconds"] = BuildSeconds;
        figures["users"] = UsersEvaluated;
        figures["users_per_s"] = UsersPerSecond;
        return figures;
    }
}

namespace RecFramework.Evaluation;

/// <summary>Mean per-user metrics at one cut-off, plus catalogue coverage.</summary>
/// <param name="K">The cut-off.</param>
/// <param name="Recall">Mean Recall@K over test users.</param>
/// <param name="Ndcg">Mean NDCG@K over test users.</param>
/// <param name="HitRate">Share of test users with at least one hit in the top K.</param>
/// <param name="Coverage">Distinct recommended items in all top-K lists / train items.</param>
public sealed record MetricsAtK(int K, double Recall, double Ndcg, double HitRate, double Coverage);

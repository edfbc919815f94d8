namespace RecFramework.Experiments.Analysis;

/// <summary>
/// CUPED adjustment of a layer: Y' = Y − θ(X − X̄) with X the user's pre-period metric, θ = cov(Y, X) / var(X) and X̄
/// pooled over every user of the layer (all groups); all θ are 0 when CUPED is off.
/// </summary>
/// <param name="PreMean">X̄ over the layer's users (clicks per user).</param>
/// <param name="ThetaClicks">θ of clicks per user.</param>
/// <param name="PreMeanRanked">X̄ over the layer's users that have held-out items (recall, NDCG).</param>
/// <param name="ThetaRecall">θ of recall@K.</param>
/// <param name="ThetaNdcg">θ of NDCG@K.</param>
/// <param name="ThetaActiveDays">θ of active days per user (centred on <paramref name="PreMean"/>).</param>
/// <param name="ThetaItems">θ of items consumed per user (centred on <paramref name="PreMean"/>).</param>
internal readonly record struct CupedCovariate(double PreMean, double ThetaClicks, double PreMeanRanked, double ThetaRecall, double ThetaNdcg,
    double ThetaActiveDays = 0, double ThetaItems = 0);

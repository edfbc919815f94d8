using RecFramework.Pipeline;

namespace RecFramework.Experiments;

/// <summary>An answer of <see cref="ExperimentRecommender"/>: the pipeline's response and the assignment that shaped it.</summary>
/// <param name="RequestId">Id of the request (the caller's, or a new one); clicks name it.</param>
/// <param name="Response">The merged, filtered answer with per-item channel attribution.</param>
/// <param name="Assignment">The user's experiment assignment (holdout, per layer experiment, variant, bucket).</param>
/// <param name="K">Items asked for (the pipeline's default when the request gave none).</param>
/// <param name="Time">When the request was served.</param>
public sealed record ExperimentRecommendation(string RequestId, RecommendResponse Response, ExperimentAssignment Assignment, int K, DateTimeOffset Time)
{
    /// <summary>
    /// For a user of an interleaving experiment: per item of <see cref="RecommendResponse.Items"/>, the variant that placed it
    /// (clicks are credited to it); null for every other answer.
    /// </summary>
    public IReadOnlyList<string>? Teams { get; init; }
}

namespace RecFramework.Evaluation;

/// <summary>Scoring progress of one channel evaluation.</summary>
/// <param name="Channel">The channel being scored.</param>
/// <param name="Done">Users scored so far.</param>
/// <param name="Total">Users to score.</param>
public readonly record struct EvaluationProgress(string Channel, int Done, int Total);

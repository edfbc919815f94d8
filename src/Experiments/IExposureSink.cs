namespace RecFramework.Experiments;

/// <summary>
/// Receives every answer <see cref="ExperimentRecommender"/> serves, with the assignment behind it (the exposure
/// log is one; register more with <c>TryAddEnumerable</c>). Called on the request path: keep it short and never throw.
/// </summary>
public interface IExposureSink
{
    /// <summary>An answer was served.</summary>
    void Served(ExperimentRecommendation served);
}

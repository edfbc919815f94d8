namespace RecFramework.Pipeline;

/// <summary>A recommendation request to the pipeline.</summary>
public sealed record RecommendRequest
{
    /// <summary>External user id.</summary>
    public required long UserId { get; init; }

    /// <summary>Items wanted; null for the configured default.</summary>
    public int? K { get; init; }

    /// <summary>Variant parameters from the user's experiment assignment (see <see cref="RecallParameterKeys"/>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Extra items to exclude for this request.</summary>
    public IReadOnlyCollection<long>? Exclude { get; init; }

    /// <summary>Request time; null for now.</summary>
    public DateTimeOffset? Time { get; init; }
}

using RecFramework.Channels;

namespace RecFramework.Evaluation;

/// <summary>How <see cref="ChannelEvaluator"/> builds and scores a channel.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Cut-offs to report; the channel is asked for the largest. Default 20 and 50.</summary>
    public IReadOnlyList<int> Ks { get; init; } = [20, 50];

    /// <summary>Number of the user's most recent train positives passed as <see cref="RecallRequest.History"/>.</summary>
    public int HistoryLength { get; init; } = 100;

    /// <summary>Users scored concurrently. Default: the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed handed to the builder.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Builder parameter overrides (<see cref="ChannelBuildContext.Parameters"/>).</summary>
    public IReadOnlyDictionary<string, string> BuildParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Progress of the build, forwarded to the builder; may be null.</summary>
    public IProgress<BuildProgress>? BuildProgress { get; init; }

    /// <summary>
    /// Pipeline evaluation only (<see cref="PipelineEvaluator"/>): the fusion asked for (the <c>fusion</c> request
    /// parameter); null: the pipeline's configured one.
    /// </summary>
    public RecFramework.Pipeline.FusionMode? Fusion { get; init; }

    /// <summary>Progress of scoring (users done, users total); may be null.</summary>
    public IProgress<EvaluationProgress>? Progress { get; init; }
}

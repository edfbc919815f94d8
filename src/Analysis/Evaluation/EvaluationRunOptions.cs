namespace RecFramework.Analysis.Evaluation;

/// <summary>What <see cref="EvaluationRunner"/> evaluates and how.</summary>
public sealed record EvaluationRunOptions
{
    /// <summary>Channels to build and score, in report order.</summary>
    public required IReadOnlyList<string> Channels { get; init; }

    /// <summary>Cut-offs (default 20, 50).</summary>
    public IReadOnlyList<int> Ks { get; init; } = [20, 50];

    /// <summary>Extra appsettings-format JSON file, or null.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The caller's configuration (appsettings and environment), read before <see cref="ConfigFile"/>; may be null.</summary>
    public Microsoft.Extensions.Configuration.IConfiguration? Configuration { get; init; }

    /// <summary>Registers the channels and backends to evaluate (the service's own registration); null: only the framework's <c>popular</c>.</summary>
    public Action<RecFramework.DependencyInjection.IRecBuilder>? ConfigureServices { get; init; }

    /// <summary>Artifact root; null means a temporary directory deleted afterwards.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>Seed handed to every builder.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Score a validation split cut from the train part (<see cref="RecFramework.Evaluation.TemporalSplit.SplitForValidation"/>)
    /// instead of the test part: for choosing options without looking at test.
    /// </summary>
    public bool Validation { get; init; }

    /// <summary>
    /// Builder overrides: <c>NAME</c> applies to every channel, <c>channel.NAME</c> to that channel only (see
    /// <see cref="BuildParameters.For"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> BuildParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Also score the recall pipeline's merged answer for <see cref="Channels"/> (configured quotas, weights, fusion,
    /// filters and fallback fill, as the service serves it), reported as an entry named
    /// <see cref="RecFramework.Evaluation.PipelineEvaluator.Name"/> after the channels.
    /// </summary>
    public bool Pipeline { get; init; }

    /// <summary>
    /// With <see cref="Pipeline"/>: the fusion the pipeline is asked for (the <c>fusion</c> request parameter); null: the
    /// configured one.
    /// </summary>
    public RecFramework.Pipeline.FusionMode? PipelineFusion { get; init; }

    /// <summary>
    /// With <see cref="Pipeline"/>: trains a fusion model before the pipeline is scored. The runner builds the channels
    /// again on the train part of the validation split (<see cref="RecFramework.Evaluation.TemporalSplit.SplitForValidation"/>,
    /// never the test part), collects what the fusion sees for the validation users
    /// (<see cref="RecFramework.Evaluation.PipelineEvaluator.CollectFusionExamplesAsync"/>) and hands it to this
    /// callback with the container that scores the test part, which activates the trained model there (e.g.
    /// <c>LearnedFusionModel.TrainerFor</c> of RecFramework.Fusion.Learned). Not with <see cref="Validation"/>.
    /// </summary>
    public Func<RecFramework.Evaluation.FusionTrainingSet, IServiceProvider, CancellationToken, Task>? TrainFusion { get; init; }

    /// <summary>
    /// When set, each user's timestamps are permuted with this seed before the split
    /// (<see cref="RecFramework.Data.InteractionDataset.WithShuffledTimestamps"/>): the temporal holdout becomes a
    /// per-user random holdout, for data without a meaningful time order.
    /// </summary>
    public int? ShuffleTimeSeed { get; init; }

    /// <summary>Share of each user's positives held out.</summary>
    public double TestFraction { get; init; } = RecFramework.Evaluation.TemporalSplit.DefaultTestFraction;

    /// <summary>Show Spectre.Console progress bars (off for tests and JSON-only runs).</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>Extra configuration overrides (key → value), applied last.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();
}

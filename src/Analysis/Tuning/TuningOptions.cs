namespace RecFramework.Analysis.Tuning;

/// <summary>What <see cref="ChannelTuner"/> tunes and how much it may spend.</summary>
public sealed record TuningOptions
{
    /// <summary>Channels to tune, in report order; each must have a builder that declares a search space (<see cref="RecFramework.Tuning.ITunableChannelBuilder"/>).</summary>
    public required IReadOnlyList<string> Channels { get; init; }

    /// <summary>Random configurations drawn per channel (distinct, at most the space's size); the configured defaults always run too. Default 12.</summary>
    public int Budget { get; init; } = 12;

    /// <summary>Successive-halving factor: each rung keeps the best 1/<c>Eta</c> of its configurations and gives them <c>Eta</c> times the users. Default 3.</summary>
    public int Eta { get; init; } = 3;

    /// <summary>
    /// Fewest validation users a cheap rung scores: a rung's user share is raised until it has at least this many
    /// (default 100), so a small dataset runs fewer rungs.
    /// </summary>
    public int MinRungUsers { get; init; } = 100;

    /// <summary>Cut-off of the objective (Recall@K; NDCG@K is reported beside it). Default 20.</summary>
    public int K { get; init; } = 20;

    /// <summary>Seed of the configuration draws, the user subsamples and every build.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>When set, each user's timestamps are permuted with this seed before any split (<see cref="RecFramework.Data.InteractionDataset.WithShuffledTimestamps"/>).</summary>
    public int? ShuffleTimeSeed { get; init; }

    /// <summary>Share of each user's positives held out, by both the outer split (whose test part is never read) and the inner validation split.</summary>
    public double TestFraction { get; init; } = RecFramework.Evaluation.TemporalSplit.DefaultTestFraction;

    /// <summary>Extra appsettings-format JSON file, or null.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The caller's configuration (appsettings and environment), read before <see cref="ConfigFile"/>; may be null.</summary>
    public Microsoft.Extensions.Configuration.IConfiguration? Configuration { get; init; }

    /// <summary>Registers the channels and backends (the service's own registration); null: only the framework's own.</summary>
    public Action<RecFramework.DependencyInjection.IRecBuilder>? ConfigureServices { get; init; }

    /// <summary>Extra configuration overrides (key → value), applied last.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// When set, each channel's chosen configuration is built on the whole dataset (as tuned: shuffled when
    /// <see cref="ShuffleTimeSeed"/> is set) into this artifact store, its manifest carrying the choice and the
    /// validation figures (<see cref="TuningRecord"/>). Null: nothing is kept.
    /// </summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>Print one line per trial on the console (off for tests).</summary>
    public bool ShowProgress { get; init; } = true;
}

namespace RecFramework.Fusion.Learned;

/// <summary>The manifest of a learned fusion model folder (<see cref="LearnedFusionModel.ManifestFile"/>).</summary>
public sealed record LearnedFusionManifest
{
    /// <summary>Value of <see cref="Format"/>.</summary>
    public const string FormatName = "recfw-learned-fusion";

    /// <summary>Value of <see cref="FormatVersion"/> this version reads and writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>File format name.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>File format version.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Model version: training time (UTC) and seed.</summary>
    public required string Version { get; init; }

    /// <summary>Trainer.</summary>
    public string Trainer { get; init; } = "ML.NET FastTreeRanking";

    /// <summary>Channels whose scores and ranks are features, in feature order.</summary>
    public required IReadOnlyList<string> Channels { get; init; }

    /// <summary>Feature names, in vector order.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>When it was trained.</summary>
    public DateTimeOffset TrainedAt { get; init; }

    /// <summary>Queries (users with a held-out item among their candidates) trained on.</summary>
    public int Users { get; init; }

    /// <summary>Rows trained on.</summary>
    public int Rows { get; init; }

    /// <summary>Positive rows.</summary>
    public int Positives { get; init; }

    /// <summary>
    /// The training users' mean Recall@20 of an ideal ordering of their candidates (held-out items first): the ceiling
    /// any re-ranking of those candidates can reach on the validation split.
    /// </summary>
    public double CandidateRecallAt20 { get; init; }

    /// <summary>Training options.</summary>
    public LearnedFusionTrainingOptions Options { get; init; } = new();

    /// <summary>How <see cref="Options"/> were chosen (<see cref="LearnedFusionModel.TrainSelected"/>); null when they were given.</summary>
    public LearnedFusionSelection? Selection { get; init; }
}

/// <summary>How <see cref="LearnedFusionModel.Train"/> trains.</summary>
public sealed record LearnedFusionTrainingOptions
{
    /// <summary>Boosted trees.</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; init; } = 16;

    /// <summary>Minimum rows per leaf.</summary>
    public int MinimumExamplesPerLeaf { get; init; } = 20;

    /// <summary>Shrinkage.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>
    /// Negative candidates kept per user (drawn with <see cref="Seed"/>); every positive is kept. 0: every
    /// candidate that is not a held-out item is a negative, as the model meets them when it ranks. Default 300.
    /// </summary>
    public int NegativesPerUser { get; init; } = 300;

    /// <summary>Seed of the sampling and the trainer.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// The configurations <see cref="LearnedFusionModel.TrainerFor"/> cross-validates by default: these options, then
    /// with 50 negatives per user, with 8 leaves, and with both (duplicates removed). Fewer sampled negatives and smaller
    /// trees won on some data sets and lost on others in the measurements of docs/data-and-evaluation.md, hence a choice
    /// per data set rather than one default.
    /// </summary>
    public IReadOnlyList<LearnedFusionTrainingOptions> SelectionGrid() =>
        [.. new[] { this, this with { NegativesPerUser = 50 }, this with { Leaves = 8 }, this with { NegativesPerUser = 50, Leaves = 8 } }.Distinct()];
}

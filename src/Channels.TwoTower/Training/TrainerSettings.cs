namespace RecFramework.Channels.TwoTower.Training;

/// <summary>Per-run switches that are not hyper-parameters: ordering, freezing, side inputs.</summary>
internal sealed record TrainerSettings
{
    /// <summary>Seed for shuffling, sampling, dropout.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Keep examples in time order instead of shuffling (incremental updates).</summary>
    public bool TimeOrdered { get; init; }

    /// <summary>Train only the id embeddings (MLPs and feature tables frozen).</summary>
    public bool IdEmbeddingsOnly { get; init; }

    /// <summary>Epoch count override (full / incremental updates run one).</summary>
    public int? Epochs { get; init; }

    /// <summary>Hard negatives per external user id (items ranked low by later stages).</summary>
    public IReadOnlyDictionary<long, long[]>? HardNegatives { get; init; }

    /// <summary>Directory for per-epoch checkpoints, or null.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Progress callback.</summary>
    public Action<TrainingStatus>? Progress { get; init; }

    /// <summary>Stops training between two batches (a stopping service, a cancelled build).</summary>
    public CancellationToken Cancellation { get; init; }
}

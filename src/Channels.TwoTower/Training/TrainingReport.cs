namespace RecFramework.Channels.TwoTower.Training;

/// <summary>What a training run did.</summary>
internal sealed record TrainingReport
{
    public int EpochsRun { get; init; }

    public int BestEpoch { get; init; }

    /// <summary>Epochs of the refit on all training positives (0: no refit).</summary>
    public int RefitEpochs { get; init; }

    public double BestValidationRecall { get; init; } = double.NaN;

    public double FinalLoss { get; init; }

    public double ExamplesPerSecond { get; init; }

    public double SecondsPerEpoch { get; init; }

    public long Examples { get; init; }

    public List<double> EpochLosses { get; init; } = [];

    public List<double> EpochValidationRecall { get; init; } = [];

    /// <summary>Wall-clock seconds of the training epochs by phase (<see cref="PhaseClock"/>), summed over epochs.</summary>
    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Wall-clock seconds of the steps around the epochs (<see cref="StepClock"/>): the trainer's set-up, epoch orders,
    /// validation and checkpoints between epochs, and — added by the builder — data, encoders, model and warm start.
    /// </summary>
    public IReadOnlyDictionary<string, double> PreparationSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Item-tower rows per example with <c>DeduplicateBatchItems</c> (distinct items ÷ batch size); NaN when not used.</summary>
    public double DistinctItemShare { get; init; } = double.NaN;
}

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>Progress of a training run, reported every few batches.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Planned epochs.</param>
/// <param name="Fraction">Fraction of the whole run done.</param>
/// <param name="Loss">Running mean loss of the epoch.</param>
/// <param name="ExamplesPerSecond">Throughput of the epoch so far.</param>
/// <param name="ValidationRecall">Recall@20 of the last finished epoch, NaN before.</param>
internal readonly record struct TrainingStatus(int Epoch, int Epochs, double Fraction, double Loss, double ExamplesPerSecond, double ValidationRecall);

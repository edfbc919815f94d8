namespace RecFramework.Channels;

/// <summary>Progress of a long build: fraction done and a status line.</summary>
/// <param name="Fraction">In [0, 1].</param>
/// <param name="Status">Short status ("epoch 3/15 loss 4.21").</param>
public readonly record struct BuildProgress(double Fraction, string Status);

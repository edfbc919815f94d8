using RecFramework.Data;

namespace RecFramework.Evaluation;

/// <summary>The result of <see cref="TemporalSplit.Split"/>: a train snapshot and each test user's held-out items.</summary>
public sealed record DatasetSplit
{
    /// <summary>Train snapshot (all impressions, and every positive event not held out); builders see only this.</summary>
    public required InteractionDataset Train { get; init; }

    /// <summary>Test user → held-out items (distinct, in time order), restricted to train items without a positive train event of the user.</summary>
    public required IReadOnlyDictionary<long, long[]> Test { get; init; }

    /// <summary>Number of distinct items in <see cref="Train"/> (the catalogue ranked over; the coverage denominator).</summary>
    public int TrainItemCount { get; init; }

    /// <summary>Share of each user's positives held out.</summary>
    public double TestFraction { get; init; } = TemporalSplit.DefaultTestFraction;

    /// <summary>
    /// True for <see cref="TemporalSplit.SplitForValidation"/>: <see cref="Test"/> holds validation items cut from the
    /// train part of the outer split, and the outer test part is in neither <see cref="Train"/> nor <see cref="Test"/>.
    /// </summary>
    public bool Validation { get; init; }

    /// <summary>A one-line description of the protocol for reports.</summary>
    public string Protocol => Validation
        ? $"per-user temporal holdout {TestFraction * 100:0.##}%, validation (the train part split again; test never read)"
        : $"per-user temporal holdout {TestFraction * 100:0.##}%";
}

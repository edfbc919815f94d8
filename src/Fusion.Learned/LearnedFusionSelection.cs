using System.Text.Json.Serialization;

namespace RecFramework.Fusion.Learned;

/// <summary>One training configuration's figures from <see cref="LearnedFusionModel.CrossValidate"/>.</summary>
/// <param name="Options">The configuration.</param>
/// <param name="RecallAt20">Mean Recall@20 of the merged answer over the held-out folds' users.</param>
/// <param name="NdcgAt20">Mean NDCG@20 over the same users.</param>
public sealed record LearnedFusionCandidate(LearnedFusionTrainingOptions Options, double RecallAt20, double NdcgAt20);

/// <summary>
/// How <see cref="LearnedFusionModel.TrainSelected"/> chose a model's training options: every candidate configuration
/// cross-validated over the validation users (folds of users; a model trained on the other folds ranks each fold), the
/// best single channel on the same users for comparison, and the chosen candidate (highest Recall@20, then NDCG@20, then
/// the first listed). Recorded in the manifest (<see cref="LearnedFusionManifest.Selection"/>).
/// </summary>
public sealed record LearnedFusionSelection
{
    /// <summary>Folds the users were split into.</summary>
    public int Folds { get; init; }

    /// <summary>Users scored (those with a held-out item).</summary>
    public int Users { get; init; }

    /// <summary>The channel whose own top 20 scores the highest Recall@20 on those users.</summary>
    public required string BestChannel { get; init; }

    /// <summary>Its Recall@20.</summary>
    public double BestChannelRecallAt20 { get; init; }

    /// <summary>Its NDCG@20.</summary>
    public double BestChannelNdcgAt20 { get; init; }

    /// <summary>Every candidate configuration with its figures, in the order given.</summary>
    public required IReadOnlyList<LearnedFusionCandidate> Candidates { get; init; }

    /// <summary>Index of the chosen candidate in <see cref="Candidates"/>.</summary>
    public int Chosen { get; init; }

    /// <summary>The chosen candidate.</summary>
    [JsonIgnore]
    public LearnedFusionCandidate ChosenCandidate => Candidates[Chosen];

    /// <summary>One line for logs and the console: the chosen options and figures against the best channel.</summary>
    public string Describe()
    {
        var c = ChosenCandidate;
        return FormattableString.Invariant(
            $"learned fusion: chose {c.Options.NegativesPerUser} negatives per user, {c.Options.Leaves} leaves ({Chosen + 1} of {Candidates.Count} candidates) by {Folds}-fold cross-validation over {Users:N0} validation users: recall@20 {c.RecallAt20:F4}, ndcg@20 {c.NdcgAt20:F4}; best channel {BestChannel} {BestChannelRecallAt20:F4} / {BestChannelNdcgAt20:F4} (×{Ratio(c.RecallAt20, BestChannelRecallAt20):F3} / ×{Ratio(c.NdcgAt20, BestChannelNdcgAt20):F3})");
    }

    private static double Ratio(double value, double baseline) => baseline > 0 ? value / baseline : double.NaN;
}

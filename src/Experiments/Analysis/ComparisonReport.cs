namespace RecFramework.Experiments.Analysis;

/// <summary>The outcome of an analysis: one report per layer plus holdout vs rest.</summary>
public sealed record ComparisonReport
{
    /// <summary>Traffic source ("replay", "simulate", "logged").</summary>
    public string Source { get; init; } = "";

    /// <summary>Data set name.</summary>
    public string Dataset { get; init; } = "";

    /// <summary>Configuration versions seen in the log.</summary>
    public required IReadOnlyList<string> ConfigVersions { get; init; }

    /// <summary>Confidence level of the intervals.</summary>
    public required double Confidence { get; init; }

    /// <summary>Family-wise alpha of the Holm correction.</summary>
    public required double Alpha { get; init; }

    /// <summary>Multiple-comparison correction applied ("holm").</summary>
    public string Correction { get; init; } = "holm";

    /// <summary>What the analysis could not do as asked (CUPED without a pre-period, retention longer than the log), one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether CUPED was applied.</summary>
    public required bool Cuped { get; init; }

    /// <summary>The N of each day-N retention figure (<see cref="AnalysisOptions.RetentionDays"/>).</summary>
    public IReadOnlyList<int> RetentionDays { get; init; } = [];

    /// <summary>Items asked for per request, the K of recall@K, NDCG@K and hit rate@K (the largest logged; 0 when unknown).</summary>
    public int K { get; init; }

    /// <summary>Days covered.</summary>
    public required int Days { get; init; }

    /// <summary>Total users, requests, exposures and clicks.</summary>
    public required int Users { get; init; }

    /// <summary>Total requests.</summary>
    public required int Requests { get; init; }

    /// <summary>Total exposures.</summary>
    public required long Exposures { get; init; }

    /// <summary>Total clicks.</summary>
    public required long Clicks { get; init; }

    /// <summary>Per layer, then the holdout-vs-rest pseudo layer when the log has holdout users.</summary>
    public required IReadOnlyList<LayerReport> Layers { get; init; }

    /// <summary>
    /// One report per interleaving experiment in the log (credits per placing variant, per-user preference with a sign
    /// test, pairwise and Holm-corrected for multileaving); empty when the log has none.
    /// </summary>
    public IReadOnlyList<Interleaving.InterleavingReport> Interleaving { get; init; } = [];

    /// <summary>True when any layer has an SRM flag.</summary>
    public bool AnySrm => Layers.Any(l => l.SrmFlagged);
}

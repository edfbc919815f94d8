namespace RecFramework.Experiments;

/// <summary>How an experiment compares its variants.</summary>
public enum ExperimentKind
{
    /// <summary>A/B test: each user gets one variant, by bucket and share.</summary>
    AbTest,

    /// <summary>
    /// Interleaving: every user of the experiment's buckets gets one list merged from all its variants' answers by
    /// team-draft interleaving (two variants) or multileaving (more); positive events are credited to the variant that
    /// placed the item (docs/experiments.md, "Interleaving experiments"). Shares are not used.
    /// </summary>
    Interleaving,
}

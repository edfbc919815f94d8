namespace RecFramework.Analysis.Comparison;

/// <summary>Where the traffic of a comparison comes from.</summary>
public enum ComparisonMode
{
    /// <summary>Every test user of a temporal split requests once; a click is an exposed held-out item.</summary>
    Replay,

    /// <summary>Synthetic users visit over several days; the generator's ground truth × position bias decides clicks.</summary>
    Simulate,

    /// <summary>Requests, exposures and clicks read from a JSONL file a Host (or an earlier run) wrote.</summary>
    Logged,
}

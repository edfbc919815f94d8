namespace RecFramework.Experiments;

/// <summary>The authority on which experiment variant a user gets in every layer.</summary>
public interface IExperimentRouter
{
    /// <summary>The user's assignment under the current configuration. Deterministic; cheap (no I/O, no locks).</summary>
    ExperimentAssignment Assign(long userId);

    /// <summary>The configuration currently served.</summary>
    ExperimentsSnapshot Current { get; }
}

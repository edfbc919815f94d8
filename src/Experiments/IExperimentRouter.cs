namespace RecFramework.Experiments;

/// <summary>The authority on which experiment variant a user gets in every layer.</summary>
public interface IExperimentRouter
{
    /// <summary>The user's assignment under the current configuration. Deterministic; cheap (no I/O, no locks).</summary>
    ExperimentAssignment Assign(long userId);

    /// <summary>The configuration currently served.</summary>
    ExperimentsSnapshot Current { get; }

    /// <summary>
    /// Validates <paramref name="options"/> and, when valid, serves it from now on (atomically); otherwise keeps the
    /// current configuration. <paramref name="failures"/> names every problem, each with its entry.
    /// </summary>
    /// <returns>Whether the new configuration is now served.</returns>
    bool TryReload(ExperimentsOptions options, out IReadOnlyList<string> failures);
}

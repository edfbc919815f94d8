namespace RecFramework.Experiments.Operations;

/// <summary>A refused lifecycle operation; nothing was written.</summary>
public sealed class ExperimentOperationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">Why it was refused.</param>
    /// <param name="message">The reason, naming the value.</param>
    /// <param name="failures">Every validation failure (for <see cref="ExperimentOperationError.InvalidConfiguration"/>).</param>
    public ExperimentOperationException(ExperimentOperationError error, string message, IReadOnlyList<string>? failures = null)
        : base(message)
    {
        Error = error;
        Failures = failures ?? [];
    }

    /// <summary>Why it was refused.</summary>
    public ExperimentOperationError Error { get; }

    /// <summary>Every validation failure of the resulting configuration, each naming its entry; empty otherwise.</summary>
    public IReadOnlyList<string> Failures { get; }
}

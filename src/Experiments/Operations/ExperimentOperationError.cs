namespace RecFramework.Experiments.Operations;

/// <summary>Why a lifecycle operation was refused.</summary>
public enum ExperimentOperationError
{
    /// <summary>No experiment (or layer) of that name.</summary>
    UnknownExperiment = 1,
    /// <summary>The experiment has no variant of that name.</summary>
    UnknownVariant = 2,
    /// <summary>A value is out of range or malformed (a share, a salt, a user range).</summary>
    InvalidValue = 3,
    /// <summary>The experiment's status does not allow the operation (e.g. launching a stopped experiment).</summary>
    WrongStatus = 4,
    /// <summary>The store changed since the version the caller expected.</summary>
    VersionConflict = 5,
    /// <summary>The resulting configuration fails validation; nothing was written.</summary>
    InvalidConfiguration = 6,
}

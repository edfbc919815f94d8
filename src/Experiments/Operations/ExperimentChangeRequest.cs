namespace RecFramework.Experiments.Operations;

/// <summary>How a lifecycle operation runs: dry or for real, the version it expects, who makes it, which users are counted.</summary>
public sealed record ExperimentChangeRequest
{
    /// <summary>Largest user range (or sample) counted by the impact of a change.</summary>
    public const int MaxImpactUsers = 1_000_000;

    /// <summary>Default first user id of the impact range.</summary>
    public const long DefaultUserIdFrom = 1;

    /// <summary>Default last user id of the impact range.</summary>
    public const long DefaultUserIdTo = 100_000;

    /// <summary>Validate and count the impact, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>When set, the store's version must be this one or the change is refused (<see cref="ExperimentOperationError.VersionConflict"/>).</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Who makes the change, as the audit trail names it (a key fingerprint, never a secret).</summary>
    public string Key { get; init; } = "unknown";

    /// <summary>The users whose assignment is compared before and after; when null the range <see cref="UserIdFrom"/>–<see cref="UserIdTo"/>.</summary>
    public IReadOnlyList<long>? Users { get; init; }

    /// <summary>First user id of the impact range (inclusive).</summary>
    public long UserIdFrom { get; init; } = DefaultUserIdFrom;

    /// <summary>Last user id of the impact range (inclusive).</summary>
    public long UserIdTo { get; init; } = DefaultUserIdTo;
}

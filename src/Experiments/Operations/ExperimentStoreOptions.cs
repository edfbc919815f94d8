using System.ComponentModel.DataAnnotations;

namespace RecFramework.Experiments.Operations;

/// <summary>
/// Where lifecycle operations keep the experiment configuration (section <c>RecFramework:ExperimentStore</c>). Once
/// the store holds a configuration it is the authority: every replica serves it instead of the
/// <c>RecFramework:Experiments</c> section, which then only seeds the store's first version.
/// </summary>
public sealed class ExperimentStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:ExperimentStore";

    /// <summary>
    /// <c>File</c> (the JSON file <see cref="Path"/>) or <c>Redis</c> (keys <c>{KeyPrefix}doc:experiments</c> and
    /// <c>{KeyPrefix}doc:experiments:audit</c> on the connection of <c>RecFramework:Stores:Redis</c>, which must be
    /// configured: otherwise the service does not start).
    /// </summary>
    public ExperimentStoreBackend Backend { get; set; } = ExperimentStoreBackend.File;

    /// <summary>
    /// The file store's JSON file (relative to the working directory; read only when <see cref="Backend"/> is
    /// <c>File</c>). It is written only by an operation; while it does not exist the service serves
    /// <c>RecFramework:Experiments</c>.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string Path { get; set; } = "data/experiments.json";

    /// <summary>How often every replica checks the store's version and reloads its router when it changed.</summary>
    [Range(50, 600_000)]
    public int PollMilliseconds { get; set; } = 2000;

    /// <summary>Audit entries kept (the oldest are dropped first).</summary>
    [Range(1, 1_000_000)]
    public int MaxAuditEntries { get; set; } = 1000;
}

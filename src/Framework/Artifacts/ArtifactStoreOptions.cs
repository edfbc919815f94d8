using System.ComponentModel.DataAnnotations;

namespace RecFramework.Artifacts;

/// <summary>Options of the artifact store (section <c>RecFramework:Artifacts</c>).</summary>
public sealed class ArtifactStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Artifacts";

    /// <summary>Root directory of the file artifact store.</summary>
    [Required]
    public string Root { get; set; } = "artifacts";
}

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

    /// <summary>
    /// Seconds between checks of the version each channel's record in the store names as active (written by every
    /// activation: the update worker's, the admin API's): a serving replica whose channel serves another version swaps
    /// to it as an admin activation does. 0 (the default): no watching.
    /// </summary>
    [Range(0, 86_400)]
    public int WatchSeconds { get; set; }
}

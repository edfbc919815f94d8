using System.ComponentModel.DataAnnotations;

namespace RecFramework.Experiments.Logging;

/// <summary>Options of the service's exposure log (section <c>RecFramework:ExposureLog</c>).</summary>
public sealed class ExposureLogOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:ExposureLog";

    /// <summary>JSONL file the request, exposure and click lines are appended to (relative paths resolve against the working directory).</summary>
    [Required]
    [MinLength(1)]
    public string Path { get; set; } = "data/exposures.jsonl";

    /// <summary>
    /// Size at which the file is rotated: it is renamed to <c>{Path}.1</c> (older ones shift to <c>.2</c>, <c>.3</c>…) and
    /// a new file is started. 0 turns rotation off. Default 256 MiB (about 200,000 requests at k = 50); at most 1 TiB.
    /// </summary>
    [Range(0, 1L << 40)]
    public long MaxFileBytes { get; set; } = 256L << 20;

    /// <summary>Rotated files kept besides the current one; older ones are deleted. Default 4.</summary>
    [Range(0, 1000)]
    public int RetainedFiles { get; set; } = 4;
}

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
}

using System.ComponentModel.DataAnnotations;

namespace RecFramework.Host;

/// <summary>Service limits and admin access (section <c>RecFramework:Host</c>).</summary>
internal sealed class HostOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Host";

    /// <summary>Largest number of events in one <c>POST /events</c>.</summary>
    [Range(1, 100_000)]
    public int MaxEventBatch { get; set; } = 1000;

    /// <summary>Events stamped further than this in the future are rejected.</summary>
    [Range(0, 86_400 * 7)]
    public int MaxEventClockSkewSeconds { get; set; } = 300;

    /// <summary>JSONL file receiving request, exposure and click lines with assignments (for <c>compare --mode logged</c>).</summary>
    [Required]
    public string ExposureLogPath { get; set; } = "data/exposures.jsonl";

    /// <summary>API key for the admin endpoints; when empty the admin endpoints are not mapped at all.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Longest user id accepted by <c>GET /recommend/{userId}</c> (a 64-bit integer has at most 20 characters).</summary>
    [Range(1, 20)]
    public int MaxUserIdLength { get; set; } = 20;

    /// <summary>
    /// How long a graceful shutdown (SIGTERM, Ctrl+C, <c>StopAsync</c>) waits for in-flight requests before the
    /// remaining ones are aborted; queued events and the exposure log are flushed afterwards either way.
    /// </summary>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}

using System.ComponentModel.DataAnnotations;

namespace RecFramework.AspNetCore;

/// <summary>Limits and admin access of the service endpoints (section <c>RecFramework:Service</c>).</summary>
public sealed class ServiceOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Service";

    /// <summary>Largest number of events in one <c>POST /events</c>.</summary>
    [Range(1, 100_000)]
    public int MaxEventBatch { get; set; } = 1000;

    /// <summary>Events stamped further than this in the future are rejected.</summary>
    [Range(0, 86_400 * 7)]
    public int MaxEventClockSkewSeconds { get; set; } = 300;

    /// <summary>API key for the admin endpoints; when empty the admin endpoints are not mapped at all.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Longest user id accepted by <c>GET /recommend/{userId}</c> (a 64-bit integer has at most 20 characters).</summary>
    [Range(1, 20)]
    public int MaxUserIdLength { get; set; } = 20;
}

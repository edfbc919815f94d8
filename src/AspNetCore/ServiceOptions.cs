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

    /// <summary>
    /// Read-only API key: with it (or the admin key) in <c>X-Api-Key</c>, <c>GET /experiments/analysis</c> and the page
    /// <c>GET /experiments/page</c> answer (the page also takes it from a cookie it sets from <c>?key=</c>). When neither key
    /// is configured those endpoints are not mapped at all.
    /// </summary>
    public string? ReadApiKey { get; set; }

    /// <summary>Longest user id accepted by <c>GET /recommend/{userId}</c> (a 64-bit integer has at most 20 characters).</summary>
    [Range(1, 20)]
    public int MaxUserIdLength { get; set; } = 20;

    /// <summary>
    /// Longest value of any route parameter (a channel, an artifact version); longer ones are refused with 400 before
    /// the handler runs, so they never reach a log.
    /// </summary>
    [Range(20, 4096)]
    public int MaxRouteValueLength { get; set; } = 128;

    /// <summary>
    /// Serve the OpenAPI description of the endpoints at <see cref="RecFrameworkOpenApi.DocumentPath"/>
    /// (<c>/openapi/recframework.json</c>); false leaves it unmapped (404).
    /// </summary>
    public bool OpenApiDocument { get; set; } = true;

    /// <summary>
    /// Kestrel's request-line limit is raised to at least this many bytes so that an over-long id is answered by the
    /// service (400 with a reason) rather than by the server (an empty 414).
    /// </summary>
    public const int MinRequestLineBytes = 64 * 1024;
}

namespace RecFramework.AspNetCore;

/// <summary>Answer of <c>GET /health</c>: the process is up (<c>status</c> is always <c>ok</c>).</summary>
internal sealed record HealthDto(string Status);

/// <summary>Answer 200 of <c>GET /ready</c>: every reachable artifact-backed channel serves a version.</summary>
/// <param name="Status">Always <c>ready</c>.</param>
/// <param name="Unreachable">Channels start-up skipped because no request can reach them.</param>
internal sealed record ReadyDto(string Status, IReadOnlyList<string> Unreachable);

/// <summary>Answer 503 of <c>GET /ready</c> once start-up is done but some channel serves no version.</summary>
/// <param name="Status">Always <c>not ready</c>.</param>
/// <param name="Unready">Enabled, reachable artifact-backed channels without an active version.</param>
/// <param name="Unreachable">Channels start-up skipped because no request can reach them.</param>
internal sealed record NotReadyDto(string Status, IReadOnlyList<string> Unready, IReadOnlyList<string> Unreachable);

/// <summary>Answer 503 of <c>GET /ready</c> while start-up is still bringing channels up.</summary>
/// <param name="Status">Always <c>starting</c>.</param>
/// <param name="Stage">What start-up is doing now.</param>
/// <param name="Building">The channel being built or opened now, or null.</param>
/// <param name="Waiting">Artifact-backed channels not brought up yet.</param>
/// <param name="Unreachable">Channels start-up skipped because no request can reach them.</param>
internal sealed record StartingDto(string Status, string Stage, string? Building, IReadOnlyList<string> Waiting, IReadOnlyList<string> Unreachable);

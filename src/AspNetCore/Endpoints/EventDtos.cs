namespace RecFramework.AspNetCore;

/// <summary>Body of <c>POST /events</c>.</summary>
internal sealed record EventBatchDto(IReadOnlyList<EventDto>? Events);

/// <summary>
/// One event as clients send it. Ids are strings or numbers holding 64-bit integers; <c>timestamp</c> is unix seconds
/// or ISO-8601; <c>type</c> is impression, click, like, collect, share or comment.
/// </summary>
internal sealed record EventDto(
    System.Text.Json.JsonElement? UserId,
    System.Text.Json.JsonElement? ItemId,
    string? Type,
    System.Text.Json.JsonElement? Timestamp,
    float? Weight,
    string? RequestId,
    string? Assignment);

/// <summary>Answer of <c>POST /events</c>.</summary>
internal sealed record EventBatchResultDto(int Accepted, IReadOnlyList<RejectedEventDto> Rejected);

/// <summary>A rejected event: its index in the batch and why.</summary>
internal sealed record RejectedEventDto(int Index, string Reason);

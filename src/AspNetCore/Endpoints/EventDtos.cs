namespace RecFramework.AspNetCore;

// For the OpenAPI description only: the endpoint reads the body itself and validates each element on its own
// (EventValidator). The XML docs below are the schema's descriptions, hence plain text.

/// <summary>Request body of <c>POST /events</c>: a batch of interaction events, each validated on its own.</summary>
/// <param name="Events">The interaction events, at most RecFramework:Service:MaxEventBatch (default 1000).</param>
internal sealed record EventBatchDto(IReadOnlyList<EventDto> Events);

/// <summary>
/// One interaction event of <c>POST /events</c>. Ids are 64-bit integers, sent as JSON numbers or strings;
/// <c>timestamp</c> is unix seconds 0..7258118400 (or an ISO-8601 string in 1970..2200); <c>weight</c> defaults to 1;
/// <c>requestId</c> and <c>assignment</c> attribute the event to a served recommendation. Unknown fields are ignored.
/// </summary>
internal sealed record EventDto
{
    public required long UserId { get; init; }

    public required long ItemId { get; init; }

    /// <summary>Interaction type name: impression, click, like, collect, share, comment, dwell, complete or dislike (case-insensitive); dislike is negative feedback (not interested).</summary>
    public required string Type { get; init; }

    /// <summary>When it happened: unix seconds, or an ISO-8601 string.</summary>
    public required long Timestamp { get; init; }

    /// <summary>Finite, non-negative; 1 when absent.</summary>
    public float? Weight { get; init; }

    /// <summary>Required with dwell (seconds, &gt;= 0) and complete (fraction in [0, 1]), refused with other types; kept as the weight.</summary>
    public double? Value { get; init; }

    /// <summary>The <c>requestId</c> of the recommendation answer the event follows, if any (at most 128 characters).</summary>
    public string? RequestId { get; init; }

    /// <summary>The assignment tag of that answer, if any (at most 1024 characters).</summary>
    public string? Assignment { get; init; }
}

/// <summary>Answer of <c>POST /events</c> when every event was stored.</summary>
internal sealed record EventBatchResultDto(int Accepted, IReadOnlyList<RejectedEventDto> Rejected);

/// <summary>A rejected event: its index in the batch, the field at fault and why (field, value cut to 64 characters, rule).</summary>
internal sealed record RejectedEventDto(int Index, string Field, string Reason);

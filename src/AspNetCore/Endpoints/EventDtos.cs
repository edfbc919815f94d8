namespace RecFramework.AspNetCore;

/// <summary>Answer of <c>POST /events</c> when every event was stored.</summary>
internal sealed record EventBatchResultDto(int Accepted, IReadOnlyList<RejectedEventDto> Rejected);

/// <summary>A rejected event: its index in the batch, the field at fault and why (field, value cut to 64 characters, rule).</summary>
internal sealed record RejectedEventDto(int Index, string Field, string Reason);

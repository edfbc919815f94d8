namespace RecFramework.Data;

/// <summary>What a load read: rows accepted, rows skipped as malformed, and the first error messages.</summary>
public sealed record LoadReport
{
    /// <summary>Rows accepted (interaction rows plus profile rows, headers excluded).</summary>
    public int Rows { get; init; }

    /// <summary>Malformed rows skipped (only with <see cref="LoadOptions.SkipMalformedRows"/>).</summary>
    public int SkippedRows { get; init; }

    /// <summary>The first <see cref="LoadOptions.MaxErrorsReported"/> messages, each "file:line: reason (value)".</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}

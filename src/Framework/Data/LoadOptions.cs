namespace RecFramework.Data;

/// <summary>How loaders treat malformed rows.</summary>
public sealed record LoadOptions
{
    /// <summary>Strict loading: the first malformed row throws.</summary>
    public static LoadOptions Strict { get; } = new();

    /// <summary>
    /// When true, malformed rows are skipped and counted in <see cref="LoadReport"/>; when false (default) the first
    /// malformed row throws <see cref="RecFrameworkException"/> with <see cref="RecError.MalformedInput"/>.
    /// </summary>
    public bool SkipMalformedRows { get; init; }

    /// <summary>At most this many error messages are kept in <see cref="LoadReport.Errors"/> (all are counted).</summary>
    public int MaxErrorsReported { get; init; } = 20;
}

namespace RecFramework.Experiments.Logging;

/// <summary>What <see cref="LoggedEventsFile.Read(string, out LoggedEventsReadReport)"/> read and what it skipped.</summary>
/// <param name="Files">Files read, oldest first (rotated ones before the current one); older ones are left out when a limited read kept the newest records.</param>
/// <param name="Lines">Non-blank lines read (a limited read counts those from its start line on).</param>
/// <param name="SkippedLines">Lines skipped as unreadable (torn by a crash, not JSON, missing fields).</param>
/// <param name="Problems">The first few skipped lines as <c>file:line: reason</c>.</param>
public sealed record LoggedEventsReadReport(IReadOnlyList<string> Files, long Lines, long SkippedLines, IReadOnlyList<string> Problems)
{
    /// <summary>Records read (requests, exposures, clicks and typed events).</summary>
    public long Records { get; init; }

    /// <summary>
    /// Whether the files held more records than the read's limit, so only the newest records were read (from a request line
    /// on) and the older ones left out.
    /// </summary>
    public bool Truncated { get; init; }
}

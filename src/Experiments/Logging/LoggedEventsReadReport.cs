namespace RecFramework.Experiments.Logging;

/// <summary>What <see cref="LoggedEventsFile.Read(string, out LoggedEventsReadReport)"/> read and what it skipped.</summary>
/// <param name="Files">Files read, oldest first (rotated ones before the current one); newer ones are left out when the read stopped at its limit.</param>
/// <param name="Lines">Non-blank lines read.</param>
/// <param name="SkippedLines">Lines skipped as unreadable (torn by a crash, not JSON, missing fields).</param>
/// <param name="Problems">The first few skipped lines as <c>file:line: reason</c>.</param>
public sealed record LoggedEventsReadReport(IReadOnlyList<string> Files, long Lines, long SkippedLines, IReadOnlyList<string> Problems)
{
    /// <summary>Records read (requests, exposures, clicks and typed events).</summary>
    public long Records { get; init; }

    /// <summary>Whether the read stopped at its record limit with lines left unread (the newest ones).</summary>
    public bool Truncated { get; init; }
}

using System.Globalization;

namespace RecFramework.Data;

/// <summary>
/// A time window of the event log: the events whose time (<see cref="Interaction.Timestamp"/>) is at or after
/// <see cref="Since"/> and before <see cref="Until"/>. Read by <see cref="EventLogDataSource"/>.
/// </summary>
public sealed record EventLogWindow
{
    /// <summary>Creates a window; <paramref name="since"/> must be before <paramref name="until"/>.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: the window is empty or reversed.</exception>
    public EventLogWindow(DateTimeOffset since, DateTimeOffset until)
    {
        if (since >= until)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"The event window must start before it ends; got since {since:u} and until {until:u}.");
        }

        Since = since;
        Until = until;
    }

    /// <summary>Start of the window (inclusive).</summary>
    public DateTimeOffset Since { get; }

    /// <summary>End of the window (exclusive).</summary>
    public DateTimeOffset Until { get; }

    /// <summary>
    /// Only events with a larger log sequence are read (0: the whole log). A caller that consumed the log up to a
    /// sequence before (<see cref="EventLogLoad.LastSequence"/>) starts there instead of scanning the log from its
    /// beginning.
    /// </summary>
    public long AfterSequence { get; init; }

    /// <summary>Start of the window in unix seconds (inclusive).</summary>
    public long SinceSeconds => Since.ToUnixTimeSeconds();

    /// <summary>End of the window in unix seconds (exclusive).</summary>
    public long UntilSeconds => Until.ToUnixTimeSeconds();

    /// <summary>True when <paramref name="unixSeconds"/> falls inside the window.</summary>
    public bool Contains(long unixSeconds) => unixSeconds >= SinceSeconds && unixSeconds < UntilSeconds;

    /// <summary>The last <paramref name="span"/> before <paramref name="now"/>.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: the span is not positive.</exception>
    public static EventLogWindow Last(TimeSpan span, DateTimeOffset now)
    {
        if (span <= TimeSpan.Zero)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"The event window must be longer than zero; got {span}.");
        }

        return new EventLogWindow(now - span, now);
    }

    /// <summary>
    /// Reads a window as the command line gives it. <paramref name="since"/> is a duration back from
    /// <paramref name="now"/> (<c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>) or a time (unix seconds or ISO-8601, UTC when
    /// no offset is given); <paramref name="until"/> is a time, a duration back from <paramref name="now"/>, or null for
    /// <paramref name="now"/> (the end is exclusive, so use a time past the last event to include it).
    /// </summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/> naming the value that does not parse, or a reversed window.</exception>
    public static EventLogWindow Parse(string since, string? until, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(since);
        var start = ParsePoint("since", since, now);
        var end = until is null ? now : ParsePoint("until", until, now);
        if (start >= end)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"The event window must start before it ends; got --since '{since}' ({start:u}) and --until '{until ?? "now"}' ({end:u}).");
        }

        return new EventLogWindow(start, end);
    }

    /// <summary>Reads a duration such as <c>90s</c>, <c>30m</c>, <c>24h</c> or <c>7d</c> (a positive integer and a unit).</summary>
    public static bool TryParseDuration(string value, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(value);
        duration = default;
        var text = value.Trim();
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        var seconds = char.ToLowerInvariant(text[^1]) switch
        {
            's' => 1L,
            'm' => 60L,
            'h' => 3_600L,
            'd' => 86_400L,
            'w' => 604_800L,
            _ => 0L,
        };
        if (seconds == 0 || amount > TimeSpan.MaxValue.TotalSeconds / seconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * seconds);
        return true;
    }

    private static DateTimeOffset ParsePoint(string name, string value, DateTimeOffset now)
    {
        if (TryParseDuration(value, out var duration))
        {
            if (duration > now - DateTimeOffset.UnixEpoch)
            {
                throw new RecFrameworkException(RecError.InvalidArgument,
                    $"--{name} '{DelimitedText.Printable(value)}' reaches back before 1970-01-01 (now is {now:u}).");
            }

            return now - duration;
        }

        if (DelimitedInteractionLoader.TryParseTimestamp(value.Trim(), out var seconds)
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        throw new RecFrameworkException(RecError.InvalidArgument,
            $"--{name} '{DelimitedText.Printable(value)}' is neither a duration (90s, 30m, 24h, 7d, 2w) nor a time (unix seconds or ISO-8601).");
    }
}

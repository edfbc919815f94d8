namespace RecFramework.AspNetCore;

/// <summary>
/// The one accepted range of event timestamps: unix seconds from 0 (1970-01-01T00:00:00Z) to 7,258,118,400
/// (2200-01-01T00:00:00Z), given as a JSON integer or as an ISO-8601 string within the same range.
/// </summary>
internal static class EventTimestamps
{
    /// <summary>Earliest accepted timestamp, unix seconds (1970-01-01T00:00:00Z).</summary>
    public const long MinUnixSeconds = 0;

    /// <summary>Latest accepted timestamp, unix seconds (2200-01-01T00:00:00Z).</summary>
    public const long MaxUnixSeconds = 7_258_118_400;

    /// <summary>How messages name the range.</summary>
    public const string Range = "unix seconds 0..7258118400 or ISO-8601 1970-01-01T00:00:00Z..2200-01-01T00:00:00Z";

    /// <summary>Whether <paramref name="seconds"/> is inside the range.</summary>
    public static bool Contains(long seconds) => seconds is >= MinUnixSeconds and <= MaxUnixSeconds;
}

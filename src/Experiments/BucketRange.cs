using System.Globalization;

namespace RecFramework.Experiments;

/// <summary>An inclusive range of buckets, written "first-last" or "bucket" in configuration.</summary>
/// <param name="First">First bucket.</param>
/// <param name="Last">Last bucket (inclusive).</param>
public readonly record struct BucketRange(int First, int Last)
{
    /// <summary>Number of buckets in the range.</summary>
    public int Count => Last - First + 1;

    /// <summary>Parses "first-last" or "bucket"; false when malformed or first &gt; last.</summary>
    public static bool TryParse(string? text, out BucketRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var firstText = dash < 0 ? text : text[..dash];
        var lastText = dash < 0 ? text : text[(dash + 1)..];
        if (!int.TryParse(firstText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(lastText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first > last)
        {
            return false;
        }

        range = new BucketRange(first, last);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => First == Last
        ? First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}

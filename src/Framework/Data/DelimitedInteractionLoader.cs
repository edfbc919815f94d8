using System.Globalization;

namespace RecFramework.Data;

/// <summary>
/// Loads a generic interaction log and optional profile files, CSV or TSV (detected from the header: a tab makes it
/// TSV). The interaction header names <c>user_id</c>, <c>item_id</c>, <c>timestamp</c> and optionally <c>event</c>
/// (a type name, see <see cref="InteractionTypes"/>; default click) and <c>weight</c> (default 1); other columns are
/// ignored. Timestamps are unix seconds or ISO-8601 (without an offset they are taken as UTC).
/// </summary>
/// <remarks>
/// Profile files start with <c>user_id</c> (or <c>item_id</c>) then one column per feature; a multi-valued cell
/// separates its values with <c>|</c>; an empty cell is a missing value. The feature kind comes from an explicit header
/// suffix <c>name:kind</c> with kind one of <c>categorical</c>, <c>multi</c> (or <c>multicategorical</c>),
/// <c>continuous</c>; otherwise it is inferred from the non-empty cells: all numeric → continuous, any containing
/// <c>|</c> → multi-valued categorical, else categorical.
/// </remarks>
public static class DelimitedInteractionLoader
{
    /// <summary>Loads strictly: the first malformed row throws <see cref="RecFrameworkException"/> (<see cref="RecError.MalformedInput"/>).</summary>
    /// <param name="interactionsPath">The interaction file.</param>
    /// <param name="usersPath">Optional user profile file.</param>
    /// <param name="itemsPath">Optional item profile file.</param>
    /// <param name="name">Dataset name; defaults to the interaction file's name without extension.</param>
    public static InteractionDataset Load(string interactionsPath, string? usersPath = null, string? itemsPath = null, string? name = null) =>
        Load(interactionsPath, usersPath, itemsPath, name, LoadOptions.Strict, out _);

    /// <summary>Loads with <paramref name="options"/>; <paramref name="report"/> counts accepted and skipped rows.</summary>
    /// <exception cref="RecFrameworkException">A file is missing, a header lacks a column, or (when not skipping) a row is malformed.</exception>
    public static InteractionDataset Load(string interactionsPath, string? usersPath, string? itemsPath, string? name, LoadOptions options, out LoadReport report)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionsPath);
        ArgumentNullException.ThrowIfNull(options);
        var sink = new RowErrorSink(options);
        var interactions = LoadInteractions(interactionsPath, sink);
        var users = usersPath is null ? ProfileTable.Empty : DelimitedProfileReader.Load(usersPath, "user_id", sink);
        var items = itemsPath is null ? ProfileTable.Empty : DelimitedProfileReader.Load(itemsPath, "item_id", sink);
        report = sink.ToReport();
        return new InteractionDataset(name ?? Path.GetFileNameWithoutExtension(interactionsPath), interactions, users, items);
    }

    /// <summary>Parses a timestamp cell: integer unix seconds, or an ISO-8601 date/time (UTC when no offset is given).</summary>
    public static bool TryParseTimestamp(string value, out long unixSeconds)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParseTimestamp(value.AsSpan(), out unixSeconds);
    }

    /// <summary>Parses a timestamp cell: integer unix seconds, or an ISO-8601 date/time (UTC when no offset is given).</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> value, out long unixSeconds)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out unixSeconds))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time)
            && value.Contains('-'))
        {
            unixSeconds = time.ToUnixTimeSeconds();
            return true;
        }

        unixSeconds = 0;
        return false;
    }

    private static Interaction[] LoadInteractions(string path, RowErrorSink sink)
    {
        if (!File.Exists(path))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Interaction file '{path}' does not exist.");
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine() ?? throw new RecFrameworkException(RecError.MalformedInput, $"{path}:1: the file is empty (expected a header naming user_id,item_id,timestamp)");
        var separator = DelimitedText.DetectSeparator(header);
        var columns = (DelimitedText.Split(header, separator) ?? []).Select(c => c.Trim().ToLowerInvariant()).ToArray();
        var user = Column(columns, "user_id", path, header, required: true);
        var item = Column(columns, "item_id", path, header, required: true);
        var time = Column(columns, "timestamp", path, header, required: true);
        var evt = Column(columns, "event", path, header, required: false);
        var weight = Column(columns, "weight", path, header, required: false);
        var list = new List<Interaction>();
        var lineNumber = 1;
        Span<Range> ranges = stackalloc Range[columns.Length + 1];
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            // Fast path: split into ranges without allocating; quoted CSV lines take the general splitter.
            string[]? quoted = null;
            int count;
            if (separator == ',' && line.Contains('"', StringComparison.Ordinal))
            {
                quoted = DelimitedText.Split(line, separator);
                if (quoted is null)
                {
                    sink.Fail(path, lineNumber, "unterminated quoted field", line);
                    continue;
                }

                count = quoted.Length;
            }
            else
            {
                count = line.AsSpan().Split(ranges, separator);
                if (count > columns.Length)
                {
                    count = line.AsSpan().Count(separator) + 1;
                }
            }

            if (count != columns.Length)
            {
                sink.Fail(path, lineNumber, $"expected {columns.Length} fields, got {count}", line);
                continue;
            }

            if (!long.TryParse(Cell(line, quoted, ranges, user), NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId))
            {
                sink.Fail(path, lineNumber, "user_id is not an integer", Cell(line, quoted, ranges, user).ToString());
                continue;
            }

            if (!long.TryParse(Cell(line, quoted, ranges, item), NumberStyles.Integer, CultureInfo.InvariantCulture, out var itemId))
            {
                sink.Fail(path, lineNumber, "item_id is not an integer", Cell(line, quoted, ranges, item).ToString());
                continue;
            }

            if (!TryParseTimestamp(Cell(line, quoted, ranges, time).Trim(), out var timestamp))
            {
                sink.Fail(path, lineNumber, "timestamp is neither unix seconds nor ISO-8601", Cell(line, quoted, ranges, time).ToString());
                continue;
            }

            var type = InteractionType.Click;
            if (evt >= 0 && !InteractionTypes.TryParse(Cell(line, quoted, ranges, evt), out type))
            {
                sink.Fail(path, lineNumber, $"event is not one of {string.Join(", ", InteractionTypes.Names)}", Cell(line, quoted, ranges, evt).ToString());
                continue;
            }

            var w = 1f;
            if (weight >= 0 && !Cell(line, quoted, ranges, weight).Trim().IsEmpty
                && (!float.TryParse(Cell(line, quoted, ranges, weight), NumberStyles.Float, CultureInfo.InvariantCulture, out w) || !float.IsFinite(w)))
            {
                sink.Fail(path, lineNumber, "weight is not a finite number", Cell(line, quoted, ranges, weight).ToString());
                continue;
            }

            list.Add(new Interaction(userId, itemId, type, timestamp, w));
            sink.Rows++;
        }

        return list.ToArray();
    }

    private static ReadOnlySpan<char> Cell(string line, string[]? quoted, Span<Range> ranges, int index) =>
        quoted is not null ? quoted[index] : line.AsSpan(ranges[index]);

    private static int Column(string[] columns, string name, string path, string header, bool required)
    {
        var index = Array.IndexOf(columns, name);
        if (index < 0 && required)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}:1: header lacks the column '{name}' ({DelimitedText.Printable(header)})");
        }

        return index;
    }
}

using System.Globalization;

namespace RecFramework.Data;

/// <summary>Reads a user or item profile file (see <see cref="DelimitedInteractionLoader"/> for the format).</summary>
internal static class DelimitedProfileReader
{
    public static ProfileTable Load(string path, string idColumn, RowErrorSink sink)
    {
        if (!File.Exists(path))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Profile file '{path}' does not exist.");
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine() ?? throw new RecFrameworkException(RecError.MalformedInput, $"{path}:1: the file is empty (expected a header starting with {idColumn})");
        var separator = DelimitedText.DetectSeparator(header);
        var columns = DelimitedText.Split(header, separator) ?? throw new RecFrameworkException(RecError.MalformedInput, $"{path}:1: unterminated quoted field ({DelimitedText.Printable(header)})");
        if (columns.Length == 0 || !string.Equals(columns[0].Trim(), idColumn, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}:1: the first column must be '{idColumn}' ({DelimitedText.Printable(header)})");
        }

        var names = new string[columns.Length - 1];
        var explicitKinds = new FeatureKind?[columns.Length - 1];
        for (var c = 1; c < columns.Length; c++)
        {
            (names[c - 1], explicitKinds[c - 1]) = ParseColumn(columns[c].Trim(), path, header);
        }

        var ids = new List<long>();
        var rows = new List<string[]>();
        var seen = new HashSet<long>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = DelimitedText.Split(line, separator);
            if (cells is null)
            {
                sink.Fail(path, lineNumber, "unterminated quoted field", line);
                continue;
            }

            if (cells.Length != columns.Length)
            {
                sink.Fail(path, lineNumber, $"expected {columns.Length} fields, got {cells.Length}", line);
                continue;
            }

            if (!long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                sink.Fail(path, lineNumber, $"{idColumn} is not an integer", cells[0]);
                continue;
            }

            var bad = false;
            for (var c = 1; c < cells.Length && !bad; c++)
            {
                var cell = cells[c].Trim();
                if (explicitKinds[c - 1] == FeatureKind.Continuous && cell.Length > 0 && !IsNumber(cell))
                {
                    sink.Fail(path, lineNumber, $"'{names[c - 1]}' is declared continuous but is not a number", cell);
                    bad = true;
                }
            }

            if (bad)
            {
                continue;
            }

            if (!seen.Add(id))
            {
                sink.Fail(path, lineNumber, $"duplicate {idColumn}", cells[0]);
                continue;
            }

            ids.Add(id);
            rows.Add(cells);
            sink.Rows++;
        }

        var kinds = new FeatureKind[names.Length];
        for (var f = 0; f < names.Length; f++)
        {
            kinds[f] = explicitKinds[f] ?? Infer(rows, f + 1);
        }

        var schema = new FeatureSchema(names.Select((n, i) => new FeatureSpec(n, kinds[i])).ToArray());
        var profiles = new Profile[rows.Count];

        // Equal values share one string, and equal single values one array: a million items with a category and a
        // few tags otherwise hold millions of copies of a few thousand strings on the managed heap for as long as the
        // service runs (each an object every full collection marks).
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var singles = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string Shared(string value) => strings.TryGetValue(value, out var shared) ? shared : strings[value] = value;
        for (var r = 0; r < rows.Count; r++)
        {
            var values = new string[names.Length][];
            for (var f = 0; f < names.Length; f++)
            {
                var cell = rows[r][f + 1].Trim();
                if (cell.Length == 0)
                {
                    values[f] = [];
                }
                else if (kinds[f] == FeatureKind.MultiCategorical)
                {
                    var parts = cell.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    for (var i = 0; i < parts.Length; i++)
                    {
                        parts[i] = Shared(parts[i]);
                    }

                    values[f] = parts;
                }
                else
                {
                    var value = Shared(cell);
                    values[f] = singles.TryGetValue(value, out var single) ? single : singles[value] = [value];
                }
            }

            profiles[r] = new Profile(ids[r], values);
        }

        return new ProfileTable(schema, profiles);
    }

    private static (string Name, FeatureKind? Kind) ParseColumn(string column, string path, string header)
    {
        var colon = column.LastIndexOf(':');
        if (colon < 0)
        {
            return (RequireName(column, path, header), null);
        }

        var name = RequireName(column[..colon].Trim(), path, header);
        FeatureKind kind = column[(colon + 1)..].Trim().ToLowerInvariant() switch
        {
            "categorical" => FeatureKind.Categorical,
            "multi" or "multicategorical" or "multi_categorical" => FeatureKind.MultiCategorical,
            "continuous" => FeatureKind.Continuous,
            var other => throw new RecFrameworkException(RecError.MalformedInput,
                $"{path}:1: column '{DelimitedText.Printable(name)}' has unknown kind '{DelimitedText.Printable(other)}' (expected categorical, multi or continuous) ({DelimitedText.Printable(header)})"),
        };
        return (name, kind);
    }

    private static string RequireName(string name, string path, string header) =>
        name.Length > 0 ? name : throw new RecFrameworkException(RecError.MalformedInput, $"{path}:1: a column has an empty name ({DelimitedText.Printable(header)})");

    private static FeatureKind Infer(List<string[]> rows, int column)
    {
        var numeric = true;
        var any = false;
        foreach (var row in rows)
        {
            var cell = row[column].Trim();
            if (cell.Length == 0)
            {
                continue;
            }

            any = true;
            if (cell.Contains('|', StringComparison.Ordinal))
            {
                return FeatureKind.MultiCategorical;
            }

            numeric &= IsNumber(cell);
        }

        return any && numeric ? FeatureKind.Continuous : FeatureKind.Categorical;
    }

    private static bool IsNumber(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);
}

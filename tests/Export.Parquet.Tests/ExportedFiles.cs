using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace RecFramework.Export.Parquet.Tests;

/// <summary>Reads an export back with Parquet.Net, as a consumer would (no code of the exporter).</summary>
internal static class ExportedFiles
{
    /// <summary>Every event of every part file, with the date of the partition folder it was in.</summary>
    public static async Task<List<(string Date, Interaction Event)>> EventsAsync(string root)
    {
        var events = new List<(string, Interaction)>();
        var folder = Path.Combine(root, "events");
        if (!Directory.Exists(folder))
        {
            return events;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var date = Path.GetFileName(Path.GetDirectoryName(file)!)["date=".Length..];
            foreach (var group in await ColumnsAsync(file))
            {
                var users = (long[])group["user_id"];
                var items = (long[])group["item_id"];
                var types = (int[])group["event_type"];
                var times = (long[])group["timestamp"];
                var weights = (float[])group["weight"];
                for (var i = 0; i < users.Length; i++)
                {
                    events.Add((date, new Interaction(users[i], items[i], (InteractionType)types[i], times[i], weights[i])));
                }
            }
        }

        return events;
    }

    /// <summary>The columns of each row group of <paramref name="path"/> by name, as arrays of the column's CLR type.</summary>
    public static async Task<List<Dictionary<string, Array>>> ColumnsAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var groups = new List<Dictionary<string, Array>>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
            foreach (var field in reader.Schema.DataFields)
            {
                columns[field.Name] = await ReadAsync(group, field, n);
            }

            groups.Add(columns);
        }

        return groups;
    }

    /// <summary>Name → (CLR type, nullable) of the file's columns.</summary>
    public static async Task<Dictionary<string, (Type Type, bool Nullable)>> SchemaAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        // Parquet.Net 6 reads UTF-8 string columns as ReadOnlyMemory<char>.
        return reader.Schema.DataFields.ToDictionary(f => f.Name,
            f => (f.ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : f.ClrType, f.IsNullable), StringComparer.Ordinal);
    }

    public static JsonDocument SchemaJson(string root) => JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "schema.json")));

    private static async Task<Array> ReadAsync(ParquetRowGroupReader group, DataField field, int n)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[n];
            await group.ReadAsync(field, strings.AsMemory());
            return strings;
        }

        if (field.ClrType == typeof(double))
        {
            var doubles = new double?[n];
            await group.ReadAsync<double>(field, doubles.AsMemory());
            return doubles;
        }

        return field.ClrType switch
        {
            var t when t == typeof(long) => await Read<long>(group, field, n),
            var t when t == typeof(int) => await Read<int>(group, field, n),
            var t when t == typeof(float) => await Read<float>(group, field, n),
            var t when t == typeof(bool) => await Read<bool>(group, field, n),
            var t => throw new InvalidOperationException($"unexpected column type {t} of {field.Name}"),
        };
    }

    private static async Task<Array> Read<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct
    {
        var values = new T[n];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values;
    }
}

using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using RecFramework.Data;

namespace RecFramework.Host.Tests;

/// <summary>
/// Reads a training export (<c>recfw export</c>: schema.json, events/date=…/part-….parquet, users.parquet,
/// items.parquet) back into a data set, as a trainer elsewhere would: the profile columns' kinds come from schema.json.
/// </summary>
internal static class ExportedDatasetReader
{
    public static async Task<InteractionDataset> ReadAsync(string directory)
    {
        using var schema = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "schema.json")));
        var events = new List<Interaction>();
        foreach (var file in Directory.GetFiles(Path.Combine(directory, "events"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var columns in await RowGroupsAsync(file))
            {
                var users = (long[])columns["user_id"];
                var items = (long[])columns["item_id"];
                var types = (int[])columns["event_type"];
                var times = (long[])columns["timestamp"];
                var weights = (float[])columns["weight"];
                for (var r = 0; r < users.Length; r++)
                {
                    events.Add(new Interaction(users[r], items[r], (InteractionType)types[r], times[r], weights[r]));
                }
            }
        }

        var userTable = await ReadProfilesAsync(Path.Combine(directory, "users.parquet"), "user_id", schema.RootElement.GetProperty("users"));
        var itemTable = await ReadProfilesAsync(Path.Combine(directory, "items.parquet"), "item_id", schema.RootElement.GetProperty("items"));
        return new InteractionDataset(schema.RootElement.GetProperty("dataset").GetString() + "-parquet", [.. events], userTable, itemTable);
    }

    private static async Task<ProfileTable> ReadProfilesAsync(string path, string idColumn, JsonElement description)
    {
        var fields = description.GetProperty("columns").EnumerateArray()
            .Where(c => c.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String)
            .Select(c => new FeatureSpec(c.GetProperty("name").GetString()!, Enum.Parse<FeatureKind>(c.GetProperty("kind").GetString()!)))
            .ToArray();
        var schema = new FeatureSchema(fields);
        var profiles = new List<Profile>();
        foreach (var columns in await RowGroupsAsync(path))
        {
            var ids = (long[])columns[idColumn];
            for (var r = 0; r < ids.Length; r++)
            {
                var values = new string[fields.Length][];
                for (var f = 0; f < fields.Length; f++)
                {
                    var value = columns[fields[f].Name].GetValue(r);
                    var text = value switch
                    {
                        null => null,
                        double d => d.ToString("R", CultureInfo.InvariantCulture),
                        _ => value.ToString(),
                    };
                    values[f] = text is null ? [] : fields[f].Kind == FeatureKind.MultiCategorical ? text.Split('|') : [text];
                }

                profiles.Add(new Profile(ids[r], values));
            }
        }

        return new ProfileTable(schema, profiles);
    }

    private static async Task<List<Dictionary<string, Array>>> RowGroupsAsync(string path)
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
                columns[field.Name] = await ReadColumnAsync(group, field, n);
            }

            groups.Add(columns);
        }

        return groups;
    }

    private static async Task<Array> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int n)
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

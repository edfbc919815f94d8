using System.Globalization;
using Parquet;
using Parquet.Schema;
using RecFramework.Channels.TwoTower.Features;

namespace RecFramework.Export.Parquet;

/// <summary>
/// Writes <c>users.parquet</c> or <c>items.parquet</c>: one row per id (ascending) with the id, the two-tower id slot
/// and one column per profile field (categorical and id fields as strings, multi-valued fields as '|'-joined strings,
/// continuous fields as doubles; null when the entity lacks the field), in row groups.
/// </summary>
internal static class ProfileParquetWriter
{
    /// <summary>The id slot column.</summary>
    public const string IdSlotColumn = "id_slot";

    /// <summary>The columns of a profile file for <paramref name="schema"/>.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: a profile field has the name of a fixed column.</exception>
    public static IReadOnlyList<ExportColumn> Describe(string idColumn, string entity, FeatureSchema schema)
    {
        var columns = new List<ExportColumn>
        {
            new(idColumn, "INT64", false, $"External {entity} id."),
            new(IdSlotColumn, "INT64", false, $"The two-tower {entity} tower's id slot: 1 + rank in its id vocabulary (0 = not in it), or 1 + hash bucket when ids are hashed (see twoTower)."),
        };
        foreach (var field in schema.Fields)
        {
            if (field.Name == idColumn || field.Name == IdSlotColumn)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"The {entity} profile field '{field.Name}' has the name of a fixed column of the export; rename it.");
            }

            columns.Add(field.Kind switch
            {
                FeatureKind.Continuous => new ExportColumn(field.Name, "DOUBLE", true, "Profile value, a real number; null when missing.", field.Kind),
                FeatureKind.MultiCategorical => new ExportColumn(field.Name, "BYTE_ARRAY", true, "Profile values joined by '|' (split on '|'); null when none.", field.Kind),
                _ => new ExportColumn(field.Name, "BYTE_ARRAY", true, "Profile value (UTF-8 string); null when missing.", field.Kind),
            });
        }

        return columns;
    }

    public static async Task WriteAsync(string path, string idColumn, IReadOnlyList<long> ids, ProfileTable profiles, TowerFeatureSchema? tower, int rowGroupSize, CancellationToken cancellationToken)
    {
        var schemaFields = profiles.Schema.Fields;
        var idField = new DataField<long>(idColumn, nullable: false);
        var slotField = new DataField<long>(IdSlotColumn, nullable: false);
        var fields = schemaFields.Select(f => f.Kind == FeatureKind.Continuous
            ? (DataField)new DataField<double>(f.Name, nullable: true)
            : new DataField<string>(f.Name, nullable: true)).ToArray();
        var schema = new ParquetSchema(new Field[] { idField, slotField }.Concat(fields));
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var start = 0; start < ids.Count; start += rowGroupSize)
        {
            var n = Math.Min(rowGroupSize, ids.Count - start);
            var chunk = new long[n];
            var slots = new long[n];
            var rows = new Profile?[n];
            for (var r = 0; r < n; r++)
            {
                chunk[r] = ids[start + r];
                slots[r] = tower?.IdSlot(chunk[r]) ?? 0;
                rows[r] = profiles.TryGet(chunk[r], out var p) ? p : null;
            }

            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(idField, chunk, cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<long>(slotField, slots, cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var f = 0; f < schemaFields.Count; f++)
            {
                if (schemaFields[f].Kind == FeatureKind.Continuous)
                {
                    var values = rows.Select(p => Number(p, f, schemaFields[f].Name)).ToArray();
                    await group.WriteAsync<double>(fields[f], values, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var values = rows.Select(p => p is null || p.Values[f].Length == 0 ? null : string.Join('|', p.Values[f])).ToArray();
                    await group.WriteAsync(fields[f], values).ConfigureAwait(false);
                }
            }
        }
    }

    private static double? Number(Profile? profile, int field, string name)
    {
        if (profile?.Single(field) is not { Length: > 0 } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RecFrameworkException(RecError.MalformedInput, $"Continuous profile field '{name}' of {profile.Id} is not a number: '{text}'.");
    }
}

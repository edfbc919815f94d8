using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using RecFramework.Data;

namespace RecFramework.Bench;

/// <summary>
/// Writes a data set as NumPy <c>.npy</c> files (format 1.0, little-endian, C order) for
/// bench/python/two_tower_scale_reference.py: <c>events.npy</c> [n, 3] int64 (user id, item id, timestamp) of the
/// positive events in data-set order, and per side (<c>user</c>, <c>item</c>) the profiles' ids, categorical value
/// codes [P, C] int32 (codes by ordinal order of the field's values; −1 = missing), the values of its one
/// multi-valued field [P, L] int32 (−1 = padding; L = the longest list) and its continuous values [P, K] float32
/// (0 when missing or not a number).
/// </summary>
internal static class NpyFolder
{
    /// <summary>Writes <paramref name="data"/> into <paramref name="directory"/> (created) and returns the number of events written.</summary>
    public static int Write(string directory, InteractionDataset data)
    {
        Directory.CreateDirectory(directory);
        var positives = data.Interactions.Where(i => i.IsPositive).ToArray();
        var events = new long[positives.Length * 3];
        for (var i = 0; i < positives.Length; i++)
        {
            events[3 * i] = positives[i].UserId;
            events[(3 * i) + 1] = positives[i].ItemId;
            events[(3 * i) + 2] = positives[i].Timestamp;
        }

        WriteArray<long>(Path.Combine(directory, "events.npy"), events, positives.Length, 3);
        WriteSide(directory, "user", data.Users);
        WriteSide(directory, "item", data.Items);
        return positives.Length;
    }

    /// <summary>
    /// Why the scale reference cannot stand for a <c>train-scale</c> run with these channel parameters, or null: it
    /// mirrors sparse tables and the default model, so only <c>sparseembeddings=true</c>, <c>indexdescription</c>,
    /// <c>validationfraction</c>, <c>threads</c> and <c>refit</c> may be set.
    /// </summary>
    public static string? ReferenceUnusable(IReadOnlyDictionary<string, string> parameters)
    {
        var changed = parameters.Keys.Where(k => k is not ("sparseembeddings" or "indexdescription" or "validationfraction" or "threads" or "refit")).Order(StringComparer.Ordinal).ToList();
        return changed.Count > 0 ? $"--set {string.Join(", ", changed)} changes the model the reference mirrors"
            : parameters.GetValueOrDefault("sparseembeddings") != "true" ? "the reference mirrors sparse tables (sparseembeddings=true)"
            : null;
    }

    /// <summary>One array: <paramref name="values"/> in C order with the given shape (its product must be the length).</summary>
    public static void WriteArray<T>(string path, ReadOnlySpan<T> values, params int[] shape)
        where T : unmanaged
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {values.Length} values.", nameof(shape));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The .npy writer assumes a little-endian machine.");
        }

        var descr = typeof(T) == typeof(long) ? "<i8" : typeof(T) == typeof(int) ? "<i4" : typeof(T) == typeof(float) ? "<f4"
            : throw new NotSupportedException($"No .npy type for {typeof(T).Name}.");
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";

        // Magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to a multiple of 64.
        var length = header.Length + 1;
        var padded = ((10 + length + 63) / 64 * 64) - 10;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write([(byte)(padded & 0xFF), (byte)(padded >> 8)]);
        stream.Write(Encoding.ASCII.GetBytes(header.PadRight(padded - 1) + "\n"));
        stream.Write(MemoryMarshal.AsBytes(values));
    }

    private static void WriteSide(string directory, string prefix, ProfileTable profiles)
    {
        var fields = profiles.Schema.Fields;
        var categorical = fields.Select((f, i) => (f, i)).Where(x => x.f.Kind == FeatureKind.Categorical).Select(x => x.i).ToArray();
        var multiFields = fields.Select((f, i) => (f, i)).Where(x => x.f.Kind == FeatureKind.MultiCategorical).Select(x => x.i).ToArray();
        var continuous = fields.Select((f, i) => (f, i)).Where(x => x.f.Kind == FeatureKind.Continuous).Select(x => x.i).ToArray();
        if (multiFields.Length > 1)
        {
            throw new NotSupportedException($"The scale reference mirrors one multi-valued field per side; the {prefix} profiles have {multiFields.Length}.");
        }

        var rows = profiles.All.OrderBy(p => p.Id).ToArray();
        var ids = rows.Select(p => p.Id).ToArray();
        WriteArray<long>(Path.Combine(directory, $"{prefix}_ids.npy"), ids, ids.Length);

        var codes = new int[rows.Length * categorical.Length];
        for (var c = 0; c < categorical.Length; c++)
        {
            var field = categorical[c];
            var vocabulary = Codes(rows.Select(p => Values(p, field)).Select(v => v.Length > 0 ? v[0] : null));
            for (var r = 0; r < rows.Length; r++)
            {
                var values = Values(rows[r], field);
                codes[(r * categorical.Length) + c] = values.Length > 0 && values[0] is { } v && vocabulary.TryGetValue(v, out var code) ? code : -1;
            }
        }

        WriteArray<int>(Path.Combine(directory, $"{prefix}_categorical.npy"), codes, rows.Length, categorical.Length);

        var width = multiFields.Length == 0 ? 0 : rows.Max(p => Values(p, multiFields[0]).Length);
        var multi = new int[rows.Length * width];
        Array.Fill(multi, -1);
        if (width > 0)
        {
            var vocabulary = Codes(rows.SelectMany(p => Values(p, multiFields[0])));
            for (var r = 0; r < rows.Length; r++)
            {
                var values = Values(rows[r], multiFields[0]);
                for (var k = 0; k < values.Length; k++)
                {
                    multi[(r * width) + k] = vocabulary.TryGetValue(values[k], out var code) ? code : -1;
                }
            }
        }

        WriteArray<int>(Path.Combine(directory, $"{prefix}_multi.npy"), multi, rows.Length, width);

        var numbers = new float[rows.Length * continuous.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < continuous.Length; c++)
            {
                var values = Values(rows[r], continuous[c]);
                numbers[(r * continuous.Length) + c] = values.Length > 0 && float.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && float.IsFinite(x) ? x : 0f;
            }
        }

        WriteArray<float>(Path.Combine(directory, $"{prefix}_continuous.npy"), numbers, rows.Length, continuous.Length);
    }

    private static string[] Values(Profile profile, int field) => field < profile.Values.Count ? profile.Values[field] : [];

    private static Dictionary<string, int> Codes(IEnumerable<string?> values)
    {
        var distinct = values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return distinct.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Parquet;
using Parquet.Schema;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// Item vectors of an import: a NumPy <c>.npy</c> file (float32 little-endian, C order, shape [n, d]) with an ids
/// file (one id per line, row order), or a Parquet file with an int64 (or integer string) column <c>item_id</c> and
/// float columns <c>v0</c> … <c>v{d-1}</c>.
/// </summary>
internal static partial class ItemVectorFiles
{
    /// <summary>Reads a .npy file: (rows, dimension, row-major floats).</summary>
    public static (int Rows, int Dimension, float[] Vectors) ReadNpy(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(6);
        if (magic.Length != 6 || magic[0] != 0x93 || Encoding.ASCII.GetString(magic, 1, 5) != "NUMPY")
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path} is not a .npy file (no \\x93NUMPY header).");
        }

        var major = reader.ReadByte();
        reader.ReadByte();
        var headerLength = major == 1 ? reader.ReadUInt16() : (int)reader.ReadUInt32();
        var header = Encoding.Latin1.GetString(reader.ReadBytes(headerLength));
        var descr = DescrPattern().Match(header);
        if (!descr.Success || descr.Groups[1].Value != "<f4")
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: dtype {(descr.Success ? descr.Groups[1].Value : "unknown")}; item vectors must be float32 ('<f4').");
        }

        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: Fortran-ordered array; write it C-ordered (numpy.ascontiguousarray).");
        }

        var shape = ShapePattern().Match(header);
        var dims = shape.Success ? shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        if (dims.Length != 2)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: shape ({(shape.Success ? shape.Groups[1].Value : "?")}) is not two-dimensional [n, d].");
        }

        var rows = int.Parse(dims[0], CultureInfo.InvariantCulture);
        var dimension = int.Parse(dims[1], CultureInfo.InvariantCulture);
        var vectors = new float[(long)rows * dimension];
        var bytes = MemoryMarshal.AsBytes(vectors.AsSpan());
        if (stream.Length - stream.Position != bytes.Length)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: {stream.Length - stream.Position} data bytes for shape ({rows}, {dimension}) of float32 ({bytes.Length} bytes).");
        }

        stream.ReadExactly(bytes);
        return (rows, dimension, vectors);
    }

    /// <summary>Writes a .npy file (version 1.0, float32, C order).</summary>
    public static void WriteNpy(string path, int rows, int dimension, ReadOnlySpan<float> vectors)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {dimension}), }}";
        var total = 10 + dict.Length + 1;
        var padded = dict + new string(' ', ((total + 63) / 64 * 64) - total) + "\n";
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write((byte)0x93);
        writer.Write(Encoding.ASCII.GetBytes("NUMPY"));
        writer.Write((byte)1);
        writer.Write((byte)0);
        writer.Write((ushort)padded.Length);
        writer.Write(Encoding.ASCII.GetBytes(padded));
        writer.Write(MemoryMarshal.AsBytes(vectors));
    }

    /// <summary>Reads a Parquet file of <c>item_id</c>, <c>v0</c> … <c>v{d-1}</c>: (ids, dimension, row-major floats).</summary>
    public static async Task<(long[] Ids, int Dimension, float[] Vectors)> ReadParquetAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var idField = fields.FirstOrDefault(f => f.Name == "item_id")
            ?? throw new RecFrameworkException(RecError.MalformedInput, $"{path}: no 'item_id' column (columns: {string.Join(", ", fields.Select(f => f.Name))}).");
        var vectorFields = new List<DataField>();
        for (var c = 0; fields.FirstOrDefault(f => f.Name == $"v{c}") is { } field; c++)
        {
            vectorFields.Add(field);
        }

        var extra = fields.Where(f => f != idField && !vectorFields.Contains(f)).Select(f => f.Name).ToArray();
        if (vectorFields.Count == 0 || extra.Length > 0)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: expected columns item_id, v0 … v{{d-1}}; {(vectorFields.Count == 0 ? "found no v0" : $"unexpected column(s) {string.Join(", ", extra)}")}.");
        }

        var dimension = vectorFields.Count;
        var ids = new List<long>();
        var vectors = new List<float>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            ids.AddRange(await ReadIdsAsync(path, group, idField, rows, cancellationToken).ConfigureAwait(false));
            var block = new float[rows * dimension];
            for (var c = 0; c < dimension; c++)
            {
                var column = await ReadFloatsAsync(path, group, vectorFields[c], rows, cancellationToken).ConfigureAwait(false);
                for (var r = 0; r < rows; r++)
                {
                    block[(r * dimension) + c] = column[r];
                }
            }

            vectors.AddRange(block);
        }

        return ([.. ids], dimension, [.. vectors]);
    }

    private static async Task<long[]> ReadIdsAsync(string path, ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string))
        {
            var text = new string?[rows];
            await group.ReadAsync(field, text.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return [.. text.Select((s, r) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                ? id
                : throw new RecFrameworkException(RecError.MalformedInput, $"{path}: item_id '{s}' (row {r}) is not a 64-bit integer id."))];
        }

        if (type == typeof(long) && !field.IsNullable)
        {
            var values = new long[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values;
        }

        if (type == typeof(int) && !field.IsNullable)
        {
            var values = new int[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return [.. values.Select(v => (long)v)];
        }

        throw new RecFrameworkException(RecError.MalformedInput, $"{path}: item_id is {field.ClrType.Name}{(field.IsNullable ? " (nullable)" : "")}; expected a required int64, int32 or string column.");
    }

    private static async Task<float[]> ReadFloatsAsync(string path, ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type != typeof(float))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: column {field.Name} is {type.Name}; vector columns are float32.");
        }

        if (!field.IsNullable)
        {
            var values = new float[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values;
        }

        var nullable = new float?[rows];
        await group.ReadAsync(field, nullable.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return [.. nullable.Select(v => v ?? float.NaN)];
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Binary file format of a <see cref="CsrMatrix"/> (little-endian):
/// <c>"RFCSR\0\0\0"</c> magic (8 bytes), format version (int32 = 1), row count (int32), column count (int32),
/// entry count (int32), then the arrays <c>rowIds</c> (int64 × rows), <c>columnIds</c> (int64 × columns),
/// <c>offsets</c> (int32 × rows + 1), <c>columns</c> (int32 × entries), <c>values</c> (float32 × entries), and nothing
/// after. Loading is a handful of bulk reads; every inconsistency throws <see cref="RecError.ArtifactCorrupt"/>
/// naming the file.
/// </summary>
internal static class CsrFile
{
    /// <summary>Current format version.</summary>
    public const int FormatVersion = 1;

    private const int HeaderBytes = 24;
    private static ReadOnlySpan<byte> Magic => "RFCSR\0\0\0"u8;

    /// <summary>Writes <paramref name="matrix"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, CsrMatrix matrix)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], matrix.RowCount);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], matrix.ColumnIds.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], matrix.EntryCount);
        stream.Write(header);
        stream.Write(MemoryMarshal.AsBytes(matrix.RowIds.AsSpan()));
        stream.Write(MemoryMarshal.AsBytes(matrix.ColumnIds.AsSpan()));
        stream.Write(MemoryMarshal.AsBytes(matrix.Offsets.AsSpan()));
        stream.Write(MemoryMarshal.AsBytes(matrix.Columns.AsSpan()));
        stream.Write(MemoryMarshal.AsBytes(matrix.Values.AsSpan()));
    }

    /// <summary>Reads a matrix written by <see cref="Write"/>.</summary>
    /// <exception cref="RecFrameworkException">Missing, truncated, wrong magic/version or inconsistent arrays.</exception>
    public static CsrMatrix Read(string path)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("CSR index files are little-endian.");
        }

        if (!File.Exists(path))
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Sparse index file '{path}' is missing.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) != HeaderBytes || !header[..8].SequenceEqual(Magic))
        {
            throw Corrupt(path, "missing 'RFCSR' header");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var rows = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var cols = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        var entries = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        if (version != FormatVersion)
        {
            throw Corrupt(path, $"format version {version}, this build reads {FormatVersion}");
        }

        if (rows < 0 || cols < 0 || entries < 0)
        {
            throw Corrupt(path, $"negative sizes (rows {rows}, columns {cols}, entries {entries})");
        }

        var expected = HeaderBytes + (rows + (long)cols) * 8 + (rows + 1L + entries) * 4 + entries * 4L;
        if (stream.Length != expected)
        {
            throw Corrupt(path, $"{stream.Length} bytes, the header implies {expected}");
        }

        var rowIds = ReadArray<long>(stream, rows, path);
        var columnIds = ReadArray<long>(stream, cols, path);
        var offsets = ReadArray<int>(stream, rows + 1, path);
        var columns = ReadArray<int>(stream, entries, path);
        var values = ReadArray<float>(stream, entries, path);
        return new CsrMatrix(rowIds, columnIds, offsets, columns, values, path);
    }

    private static T[] ReadArray<T>(Stream stream, int length, string path) where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        var bytes = MemoryMarshal.AsBytes(array.AsSpan());
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
        {
            throw Corrupt(path, "truncated");
        }

        return array;
    }

    private static RecFrameworkException Corrupt(string path, string what) => new(RecError.ArtifactCorrupt, $"Sparse index file '{path}' is corrupt: {what}.");
}

namespace RecFramework.Channels.TwoTower.Serving;

/// <summary>
/// Structural check of a TorchSharp state file (<c>Module.save</c>): an unsigned LEB128 entry count, then per entry a
/// LEB128-length UTF-8 name, a LEB128 element type, a LEB128 rank, LEB128 dimensions and the raw data. Reads the headers
/// and seeks over the data, so a file the serving path never loads (the whole model, kept for warm starts) is checked
/// at activation for the price of its headers.
/// </summary>
internal static class TorchStateFile
{
    private const int MaxEntries = 100_000;
    private const int MaxNameBytes = 4_096;
    private const int MaxRank = 8;

    /// <summary>Throws <see cref="InvalidDataException"/> naming the problem when <paramref name="path"/> is not a whole state file.</summary>
    /// <returns>The number of tensors in the file.</returns>
    public static int Validate(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        using var reader = new BinaryReader(stream);
        var count = ReadCount(reader, MaxEntries, "entry count");
        for (var entry = 0; entry < count; entry++)
        {
            var nameBytes = ReadCount(reader, MaxNameBytes, $"name length of entry {entry}");
            Need(stream, nameBytes, entry);
            stream.Seek(nameBytes, SeekOrigin.Current);
            var elementSize = ElementSize(ReadCount(reader, 64, $"element type of entry {entry}"), entry);
            var rank = ReadCount(reader, MaxRank, $"rank of entry {entry}");
            var bytes = (long)elementSize;
            for (var d = 0; d < rank; d++)
            {
                var dim = reader.Read7BitEncodedInt64();
                if (dim < 0 || (dim > 0 && bytes > long.MaxValue / dim))
                {
                    throw new InvalidDataException($"entry {entry}: dimension {d} = {dim} is not a tensor size.");
                }

                bytes *= dim;
            }

            Need(stream, bytes, entry);
            stream.Seek(bytes, SeekOrigin.Current);
        }

        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException($"{stream.Length - stream.Position} bytes follow the last of its {count} tensors.");
        }

        return count;
    }

    private static int ReadCount(BinaryReader reader, int max, string what)
    {
        long value;
        try
        {
            value = reader.Read7BitEncodedInt64();
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"the {what} is unreadable ({ex.Message}).", ex);
        }

        return value is >= 0 and var v && v <= max ? (int)v : throw new InvalidDataException($"the {what} is {value}, outside 0..{max}.");
    }

    private static void Need(Stream stream, long bytes, int entry)
    {
        if (bytes > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"entry {entry} needs {bytes:N0} bytes but the file has {stream.Length - stream.Position:N0} left.");
        }
    }

    /// <summary>Bytes per element of TorchSharp's element-type codes (uint8, int8, int16, int32, int64, float16, float32, float64, bool, bfloat16).</summary>
    private static int ElementSize(int type, int entry) => type switch
    {
        0 or 1 or 11 => 1,
        2 or 5 or 15 => 2,
        3 or 6 => 4,
        4 or 7 => 8,
        _ => throw new InvalidDataException($"entry {entry}: element type {type} is not a tensor type."),
    };
}

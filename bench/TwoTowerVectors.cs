using System.Runtime.InteropServices;
using System.Text;

namespace RecFramework.Bench;

/// <summary>
/// Reads the vector files a two-tower artifact exports ("RFVEC001", int32 dimension, int64 count, count int64 ids,
/// count * dimension row-major floats): the benchmarks search them directly. A reader of the file format, kept here
/// so the channel's serving internals stay internal.
/// </summary>
internal static class TwoTowerVectors
{
    /// <summary>The name <c>AddTwoTowerChannel()</c> registers the channel under by default.</summary>
    public const string ChannelName = "two-tower";

    /// <summary>User tower outputs in a two-tower artifact.</summary>
    public const string UserVectorsFile = "user_vectors.bin";

    /// <summary>Item tower outputs in a two-tower artifact.</summary>
    public const string ItemVectorsFile = "item_vectors.bin";

    private const string Magic = "RFVEC001";

    public static (int Dimension, long[] Ids, float[] Vectors) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length));
        if (magic != Magic)
        {
            throw new InvalidDataException($"{path}: not a vector file (header '{magic}').");
        }

        var dimension = reader.ReadInt32();
        var count = reader.ReadInt64();
        if (dimension <= 0 || count < 0 || stream.Length != 20 + (count * 8) + (count * dimension * 4))
        {
            throw new InvalidDataException($"{path}: dimension {dimension} and count {count} do not match the file length {stream.Length}.");
        }

        var ids = new long[count];
        var vectors = new float[count * dimension];
        stream.ReadExactly(MemoryMarshal.AsBytes(ids.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan()));
        return (dimension, ids, vectors);
    }
}

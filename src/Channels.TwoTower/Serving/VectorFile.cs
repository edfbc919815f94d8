using System.Runtime.InteropServices;
using System.Text;

namespace RecFramework.Channels.TwoTower.Serving;

/// <summary>Binary (ids, vectors) files of an artifact: "RFVEC001", dimension, count, ids, row-major floats.</summary>
internal static class VectorFile
{
    private const string Magic = "RFVEC001";

    public static void Write(string path, int dimension, long[] ids, float[] vectors)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Encoding.ASCII.GetBytes(Magic));
        writer.Write(dimension);
        writer.Write((long)ids.Length);
        writer.Write(MemoryMarshal.AsBytes(ids.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(vectors.AsSpan()));
    }

    public static (int Dimension, long[] Ids, float[] Vectors) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length));
        if (magic != Magic)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"{path}: not a vector file (header '{magic}').");
        }

        var dimension = reader.ReadInt32();
        var count = reader.ReadInt64();
        if (dimension <= 0 || count < 0 || stream.Length != 20 + (count * 8) + (count * dimension * 4))
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"{path}: dimension {dimension} and count {count} do not match the file length {stream.Length}.");
        }

        var ids = new long[count];
        var vectors = new float[count * dimension];
        stream.ReadExactly(MemoryMarshal.AsBytes(ids.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan()));
        return (dimension, ids, vectors);
    }
}

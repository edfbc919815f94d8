using System.Buffers.Binary;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Compact binary form of a neighbour list: per neighbour its id (8 bytes, signed) then its similarity (4, IEEE
/// single), little-endian, best first: 12 bytes per neighbour, the count implied by the length.
/// </summary>
internal static class NeighbourListCodec
{
    public const int PairSize = 12;

    public static byte[] Encode(NeighbourList list)
    {
        var ids = list.Ids;
        var scores = list.Scores;
        var bytes = new byte[ids.Length * PairSize];
        for (var i = 0; i < ids.Length; i++)
        {
            var at = bytes.AsSpan(i * PairSize);
            BinaryPrimitives.WriteInt64LittleEndian(at, ids[i]);
            BinaryPrimitives.WriteSingleLittleEndian(at[8..], scores[i]);
        }

        return bytes;
    }

    public static NeighbourList Decode(long id, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % PairSize != 0)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Neighbour list of id {id} has {bytes.Length} bytes, not a multiple of {PairSize}.");
        }

        var count = bytes.Length / PairSize;
        var ids = new long[count];
        var scores = new float[count];
        for (var i = 0; i < count; i++)
        {
            var at = bytes[(i * PairSize)..];
            ids[i] = BinaryPrimitives.ReadInt64LittleEndian(at);
            scores[i] = BinaryPrimitives.ReadSingleLittleEndian(at[8..]);
        }

        return new NeighbourList(ids, scores);
    }
}

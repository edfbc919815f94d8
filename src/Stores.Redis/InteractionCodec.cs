using System.Buffers.Binary;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Compact binary form of a history entry (the user is the key): item id (8 bytes), timestamp (8), weight (4, IEEE
/// single), type (1), all little-endian: 21 bytes per event.
/// </summary>
internal static class InteractionCodec
{
    public const int Size = 21;

    public static byte[] Encode(in Interaction e)
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(0), e.ItemId);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), e.Timestamp);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(16), e.Weight);
        bytes[20] = (byte)e.Type;
        return bytes;
    }

    public static Interaction Decode(long userId, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"History entry of user {userId} has {bytes.Length} bytes; expected {Size}.");
        }

        return new Interaction(
            userId,
            BinaryPrimitives.ReadInt64LittleEndian(bytes),
            (InteractionType)bytes[20],
            BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadSingleLittleEndian(bytes[16..]));
    }
}

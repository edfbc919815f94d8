using System.Buffers.Text;
using System.IO.Hashing;
using System.Text;

namespace RecFramework.Experiments;

/// <summary>
/// The one bucketing function (docs/bucketing-spec.md): bucket = XxHash3-64(seed 0) of the UTF-8 bytes of
/// <c>salt + ":" + decimal(userId)</c>, read as an unsigned 64-bit integer, modulo the bucket count.
/// </summary>
public static class Bucketing
{
    /// <summary>Separator between salt and user id.</summary>
    public const char Separator = ':';

    /// <summary>Seed of XxHash3.</summary>
    public const long Seed = 0;

    /// <summary>Longest salt accepted, in UTF-8 bytes (keeps the hash input on the stack).</summary>
    public const int MaxSaltBytes = 200;

    private const int MaxIdBytes = 20;

    /// <summary>The bucket of <paramref name="userId"/> under <paramref name="salt"/>, in [0, <paramref name="bucketCount"/>).</summary>
    /// <exception cref="ArgumentException">The salt is empty or longer than <see cref="MaxSaltBytes"/> bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The bucket count is not positive.</exception>
    public static int Bucket(string salt, long userId, int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketCount);
        return Bucket(Prefix(salt), userId, bucketCount);
    }

    /// <summary>UTF-8 of <c>salt + ":"</c>, precomputed once per configuration.</summary>
    internal static byte[] Prefix(string salt)
    {
        ArgumentException.ThrowIfNullOrEmpty(salt);
        var prefix = Encoding.UTF8.GetBytes(salt + Separator);
        if (prefix.Length - 1 > MaxSaltBytes)
        {
            throw new ArgumentException($"Salt '{salt}' is {prefix.Length - 1} UTF-8 bytes; at most {MaxSaltBytes} are allowed.", nameof(salt));
        }

        return prefix;
    }

    /// <summary>Hot path: no allocation; <paramref name="prefix"/> comes from <see cref="Prefix"/>.</summary>
    internal static int Bucket(ReadOnlySpan<byte> prefix, long userId, int bucketCount)
    {
        Span<byte> buffer = stackalloc byte[MaxSaltBytes + 1 + MaxIdBytes];
        prefix.CopyTo(buffer);
        Utf8Formatter.TryFormat(userId, buffer[prefix.Length..], out var written);
        var hash = XxHash3.HashToUInt64(buffer[..(prefix.Length + written)], Seed);
        return (int)(hash % (ulong)bucketCount);
    }
}

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

    /// <summary>
    /// UTF-8 of <c>salt + ":"</c>, computed once per salt for <see cref="Bucket(ReadOnlySpan{byte}, long, int)"/>
    /// (what the router does once per configuration).
    /// </summary>
    /// <param name="salt">The layer's salt; not empty, at most <see cref="MaxSaltBytes"/> UTF-8 bytes.</param>
    /// <returns>The hash-input prefix of <paramref name="salt"/>.</returns>
    /// <exception cref="ArgumentException">The salt is empty or longer than <see cref="MaxSaltBytes"/> bytes.</exception>
    public static byte[] Prefix(string salt)
    {
        ArgumentException.ThrowIfNullOrEmpty(salt);
        var prefix = Encoding.UTF8.GetBytes(salt + Separator);
        if (prefix.Length - 1 > MaxSaltBytes)
        {
            throw new ArgumentException($"Salt '{salt}' is {prefix.Length - 1} UTF-8 bytes; at most {MaxSaltBytes} are allowed.", nameof(salt));
        }

        return prefix;
    }

    /// <summary>
    /// The bucket of <paramref name="userId"/> under a precomputed salt prefix, in [0, <paramref name="bucketCount"/>);
    /// the same value as <see cref="Bucket(string, long, int)"/> without allocating (the router's hot path).
    /// </summary>
    /// <param name="prefix">The salt's prefix from <see cref="Prefix"/>.</param>
    /// <param name="userId">The user id.</param>
    /// <param name="bucketCount">The number of buckets, &gt; 0.</param>
    /// <returns>The bucket.</returns>
    /// <exception cref="ArgumentException">The prefix is empty or longer than a salt of <see cref="MaxSaltBytes"/> bytes and its separator.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The bucket count is not positive.</exception>
    public static int Bucket(ReadOnlySpan<byte> prefix, long userId, int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketCount);
        if (prefix.Length is 0 or > MaxSaltBytes + 1)
        {
            throw new ArgumentException($"Prefix is {prefix.Length} bytes; a salt prefix from Prefix() is not empty and at most {MaxSaltBytes + 1} bytes.", nameof(prefix));
        }

        Span<byte> buffer = stackalloc byte[MaxSaltBytes + 1 + MaxIdBytes];
        prefix.CopyTo(buffer);
        Utf8Formatter.TryFormat(userId, buffer[prefix.Length..], out var written);
        var hash = XxHash3.HashToUInt64(buffer[..(prefix.Length + written)], Seed);
        return (int)(hash % (ulong)bucketCount);
    }
}

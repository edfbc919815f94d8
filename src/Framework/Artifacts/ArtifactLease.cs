namespace RecFramework.Artifacts;

/// <summary>
/// A reference to the artifact an <see cref="ArtifactSlot{T}"/> served when the lease was taken; it stays usable
/// (not disposed) until the lease is disposed, even if the slot swaps meanwhile. Dispose exactly once.
/// </summary>
/// <typeparam name="T">The loaded artifact.</typeparam>
public readonly struct ArtifactLease<T> : IDisposable
    where T : class, IDisposable
{
    private readonly ArtifactSlot<T>.Holder? _holder;

    internal ArtifactLease(ArtifactSlot<T>.Holder holder) => _holder = holder;

    /// <summary>The leased artifact, or null when the slot was empty.</summary>
    public T? Value => _holder?.Value;

    /// <summary>Returns the lease; the last lease of a swapped-out artifact disposes it.</summary>
    public void Dispose() => _holder?.Release();
}

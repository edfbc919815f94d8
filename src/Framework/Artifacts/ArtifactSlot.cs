namespace RecFramework.Artifacts;

/// <summary>
/// Holds the artifact a channel serves and swaps it without dropping requests: readers take a
/// <see cref="ArtifactLease{T}"/> for the duration of one call, <see cref="Swap"/> publishes the new artifact
/// atomically, and the previous one is disposed only when its last lease is returned. Channels whose artifacts own
/// native memory (a Faiss index, a TorchSharp module) use it so a hot swap neither frees memory under a running
/// search nor leaves the old artifact to the finalizer. Freeing a large artifact takes time; with
/// <c>disposeInBackground</c> it happens on a background-priority thread instead of on whichever request returned the
/// last lease.
/// </summary>
/// <typeparam name="T">The loaded artifact.</typeparam>
public sealed class ArtifactSlot<T> : IDisposable
    where T : class, IDisposable
{
    private readonly bool _disposeInBackground;
    private Holder? _current;

    /// <summary>Creates an empty slot.</summary>
    /// <param name="disposeInBackground">Dispose retired artifacts on a background-priority thread (their last lease
    /// returns at once) instead of on the thread that returns the last lease.</param>
    public ArtifactSlot(bool disposeInBackground = false) => _disposeInBackground = disposeInBackground;

    /// <summary>The artifact new leases get, or null before the first swap (for status only: take a lease to use it).</summary>
    public T? Current => Volatile.Read(ref _current)?.Value;

    /// <summary>Leases the current artifact; <see cref="ArtifactLease{T}.Value"/> is null before the first swap.</summary>
    public ArtifactLease<T> Acquire()
    {
        while (true)
        {
            var holder = Volatile.Read(ref _current);
            if (holder is null)
            {
                return default;
            }

            if (holder.TryAddRef())
            {
                return new ArtifactLease<T>(holder);
            }

            // The holder was retired between the read and the add-ref: a newer one is already published.
        }
    }

    /// <summary>Publishes <paramref name="next"/>; the previous artifact is disposed once no lease holds it.</summary>
    public void Swap(T next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Interlocked.Exchange(ref _current, new Holder(next, _disposeInBackground))?.Release();
    }

    /// <summary>Retires the current artifact (disposed when its last lease is returned).</summary>
    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();

    /// <summary>The artifact with its reference count: one for the slot plus one per lease.</summary>
    internal sealed class Holder(T value, bool disposeInBackground)
    {
        private int _references = 1;

        public T Value { get; } = value;

        public bool TryAddRef()
        {
            var seen = Volatile.Read(ref _references);
            while (seen > 0)
            {
                var previous = Interlocked.CompareExchange(ref _references, seen + 1, seen);
                if (previous == seen)
                {
                    return true;
                }

                seen = previous;
            }

            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                if (disposeInBackground)
                {
                    _ = Diagnostics.BackgroundThreadPriority.RunAsync($"dispose {typeof(T).Name}", () =>
                    {
                        Value.Dispose();
                        return true;
                    });
                }
                else
                {
                    Value.Dispose();
                }
            }
        }
    }
}

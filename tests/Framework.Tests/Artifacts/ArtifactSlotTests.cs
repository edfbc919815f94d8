using RecFramework.Artifacts;

namespace RecFramework.Tests.Artifacts;

public sealed class ArtifactSlotTests
{
    [Fact]
    public void EmptySlotLeasesNothing()
    {
        using var slot = new ArtifactSlot<Resource>();

        using var lease = slot.Acquire();

        Assert.Null(lease.Value);
        Assert.Null(slot.Current);
    }

    [Fact]
    public void SwappedOutArtifactIsDisposedOnlyWhenItsLastLeaseReturns()
    {
        using var slot = new ArtifactSlot<Resource>();
        var first = new Resource("v1");
        var second = new Resource("v2");
        slot.Swap(first);
        var a = slot.Acquire();
        var b = slot.Acquire();

        slot.Swap(second);

        Assert.Same(second, slot.Current);
        Assert.False(first.Disposed);
        a.Dispose();
        Assert.False(first.Disposed);
        b.Dispose();
        Assert.True(first.Disposed);
        Assert.False(second.Disposed);
        using var c = slot.Acquire();
        Assert.Same(second, c.Value);
    }

    [Fact]
    public void UnleasedArtifactIsDisposedAtTheSwap()
    {
        var slot = new ArtifactSlot<Resource>();
        var first = new Resource("v1");
        var second = new Resource("v2");
        slot.Swap(first);

        slot.Swap(second);
        Assert.True(first.Disposed);
        slot.Dispose();

        Assert.True(second.Disposed);
        Assert.Null(slot.Acquire().Value);
    }

    [Fact]
    public void ConcurrentReadersNeverSeeADisposedArtifactAndEveryRetiredOneIsDisposed()
    {
        var slot = new ArtifactSlot<Resource>();
        var all = new System.Collections.Concurrent.ConcurrentBag<Resource>();
        var initial = new Resource("v0");
        all.Add(initial);
        slot.Swap(initial);
        var failures = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var lease = slot.Acquire();
                if (lease.Value is null || !lease.Value.Use())
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (var i = 1; i <= 2000; i++)
        {
            var next = new Resource($"v{i}");
            all.Add(next);
            slot.Swap(next);
        }

        stop.Cancel();
        Task.WaitAll(readers);
        slot.Dispose();

        Assert.Equal(0, failures);
        Assert.All(all, r => Assert.True(r.Disposed, $"{r.Name} was never disposed"));
    }

    private sealed class Resource(string name) : IDisposable
    {
        private int _disposed;

        public string Name { get; } = name;

        public bool Disposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>Stands for a native call: false when the memory would already be freed.</summary>
        public bool Use() => !Disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                throw new ObjectDisposedException(Name, "disposed twice");
            }
        }
    }
}

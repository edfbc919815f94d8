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

    [Fact]
    public void BackgroundReleaseDisposesTheRetiredArtifactOffTheThreadThatReturnsItsLastLease()
    {
        using var slot = new ArtifactSlot<Resource>(disposeInBackground: true);
        using var mayFinish = new ManualResetEventSlim();
        var first = new Resource("v1") { Gate = mayFinish };
        slot.Swap(first);
        var lease = slot.Acquire();
        slot.Swap(new Resource("v2"));

        // The reader returns its lease while the release is held open: a synchronous dispose would block here
        // until the gate's timeout and then run on this thread.
        var returningThread = Environment.CurrentManagedThreadId;
        lease.Dispose();
        Assert.False(first.Disposed);
        mayFinish.Set();

        Assert.True(first.Finished.Wait(TimeSpan.FromMinutes(2)), "the retired artifact was never disposed");
        Assert.True(first.Disposed);
        Assert.NotEqual(returningThread, first.DisposedOnThread);
        Assert.False(first.GateTimedOut);
    }

    [Fact]
    public void BackgroundReleaseWaitsForTheLastReader()
    {
        using var slot = new ArtifactSlot<Resource>(disposeInBackground: true);
        var first = new Resource("v1");
        slot.Swap(first);
        var a = slot.Acquire();
        var b = slot.Acquire();
        slot.Swap(new Resource("v2"));

        a.Dispose();
        Assert.False(first.Finished.IsSet);
        Assert.True(b.Value!.Use());
        b.Dispose();

        Assert.True(first.Finished.Wait(TimeSpan.FromMinutes(2)), "the retired artifact was never disposed after its last lease");
        Assert.True(first.Disposed);
    }

    private sealed class Resource(string name) : IDisposable
    {
        private int _disposed;

        public string Name { get; } = name;

        public bool Disposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>Stands for a native call: false when the memory would already be freed.</summary>
        public bool Use() => !Disposed;

        /// <summary>When set, dispose waits for it (at most 30 s) before it frees anything.</summary>
        public ManualResetEventSlim? Gate { get; init; }

        public bool GateTimedOut { get; private set; }

        public int DisposedOnThread { get; private set; }

        public ManualResetEventSlim Finished { get; } = new();

        public void Dispose()
        {
            if (Gate is not null && !Gate.Wait(TimeSpan.FromSeconds(30)))
            {
                GateTimedOut = true;
            }

            DisposedOnThread = Environment.CurrentManagedThreadId;
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                throw new ObjectDisposedException(Name, "disposed twice");
            }

            Finished.Set();
        }
    }
}

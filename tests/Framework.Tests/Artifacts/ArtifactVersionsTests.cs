using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.Tests.Artifacts;

/// <summary>The serving version plus a bounded set of pinned versions, over a real file artifact store.</summary>
public sealed class ArtifactVersionsTests : IDisposable
{
    private const string Channel = "itemcf";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-versions-" + Guid.NewGuid().ToString("N"));
    private readonly FileArtifactStore _store;
    private readonly StepClock _clock = new();
    private readonly FakeLogCollector _logs = new();
    private readonly List<Model> _loaded = [];
    private int _maxPinned = 2;

    public ArtifactVersionsTests()
    {
        _store = new FileArtifactStore(_root);
        foreach (var text in new[] { "one", "two", "three" })
        {
            Publish(text);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task RequestsWithoutAVersionOrPinningTheServingOneAreServedByItWithoutALoad()
    {
        using var versions = Create();
        versions.Swap(new Model("v0003", "three"));

        using (var plain = await versions.AcquireAsync(Request(null), CancellationToken.None))
        using (var same = await versions.AcquireAsync(Request("v0003"), CancellationToken.None))
        {
            Assert.Equal("v0003", plain.Value!.Version);
            Assert.Same(plain.Value, same.Value);
        }

        Assert.Empty(_loaded);
        Assert.Empty(versions.PinnedVersions);
        Assert.Equal("v0003", versions.ActiveVersion);
    }

    [Fact]
    public async Task APinnedVersionIsLoadedOnceFromTheStoreAndServesTheRequestsThatPinIt()
    {
        using var versions = Create();
        versions.Swap(new Model("v0003", "three"));

        var tasks = Enumerable.Range(0, 8).Select(_ => versions.AcquireAsync(Request("v0001"), CancellationToken.None).AsTask()).ToArray();
        var leases = await Task.WhenAll(tasks);

        Assert.All(leases, l => Assert.Equal("one", l.Value!.Text));
        Assert.Single(_loaded);
        Assert.Equal(["v0001"], versions.PinnedVersions);
        using (var serving = await versions.AcquireAsync(Request(null), CancellationToken.None))
        {
            Assert.Equal("three", serving.Value!.Text);
        }

        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.False(_loaded[0].Disposed);
    }

    [Fact]
    public async Task BeyondTheBoundTheLeastRecentlyUsedVersionIsRetiredAndDisposedWhenItsLastLeaseReturns()
    {
        _maxPinned = 2;
        Publish("four");
        using var versions = Create();
        versions.Swap(new Model("v0004", "four"));
        var held = await versions.AcquireAsync(Request("v0001"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await versions.AcquireAsync(Request("v0002"), CancellationToken.None)).Dispose();
        _clock.Advance(TimeSpan.FromSeconds(1));

        // v0001 is the least recently used: a third version retires it, but its lease keeps it alive.
        (await versions.AcquireAsync(Request("v0003"), CancellationToken.None)).Dispose();

        Assert.Equal(["v0002", "v0003"], versions.PinnedVersions);
        Assert.Contains("pinned version v0001 retired: more than 2 pinned versions", Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 1092).Message, StringComparison.Ordinal);
        var first = _loaded.Single(m => m.Version == "v0001");
        Assert.False(first.Disposed);
        Assert.Equal("one", held.Value!.Text);
        held.Dispose();
        Assert.True(first.Disposed);

        // Asked for again, it is loaded anew (and now v0002 is the least recently used).
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await versions.AcquireAsync(Request("v0003"), CancellationToken.None)).Dispose();
        _clock.Advance(TimeSpan.FromSeconds(1));
        using (var again = await versions.AcquireAsync(Request("v0001"), CancellationToken.None))
        {
            Assert.Equal("one", again.Value!.Text);
            Assert.NotSame(first, again.Value);
        }

        Assert.Equal(["v0001", "v0003"], versions.PinnedVersions);
        Assert.True(_loaded.Single(m => m.Version == "v0002").Disposed);
        Assert.Equal(2, _loaded.Count(m => !m.Disposed));
    }

    [Fact]
    public async Task AVersionUnusedForTheIdlePeriodIsRetiredByTheNextRequest()
    {
        using var versions = Create(idleSeconds: 60);
        versions.Swap(new Model("v0003", "three"));
        (await versions.AcquireAsync(Request("v0001"), CancellationToken.None)).Dispose();

        _clock.Advance(TimeSpan.FromSeconds(59));
        (await versions.AcquireAsync(Request(null), CancellationToken.None)).Dispose();
        Assert.Equal(["v0001"], versions.PinnedVersions);
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await versions.AcquireAsync(Request(null), CancellationToken.None)).Dispose();

        Assert.Empty(versions.PinnedVersions);
        Assert.True(Assert.Single(_loaded).Disposed);
    }

    [Fact]
    public async Task AnUnpublishedVersionIsRefusedByNameUntilTheRetryPeriodThenLoadedOncePublished()
    {
        using var versions = Create(retrySeconds: 30);
        versions.Swap(new Model("v0003", "three"));

        var missing = await Assert.ThrowsAsync<RecFrameworkException>(() => versions.AcquireAsync(Request("v0004"), CancellationToken.None).AsTask());
        Publish("four");
        var cached = await Assert.ThrowsAsync<RecFrameworkException>(() => versions.AcquireAsync(Request("v0004"), CancellationToken.None).AsTask());

        Assert.Equal(RecError.ArtifactNotFound, missing.Error);
        Assert.Contains("pinned version 'v0004' is not served: it is not published", missing.Message, StringComparison.Ordinal);
        Assert.Equal(RecError.ArtifactNotFound, cached.Error);
        var failed = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 1091);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Contains("pinned version v0004 cannot be served", failed.Message, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(31));
        using var lease = await versions.AcquireAsync(Request("v0004"), CancellationToken.None);
        Assert.Equal("four", lease.Value!.Text);
        Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 1090 && r.Message.Contains("v0004", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVersionThatFailsToLoadIsRefusedWithTheLoadersReasonAndTheServingVersionStays()
    {
        Publish("corrupt");
        using var versions = Create();
        versions.Swap(new Model("v0003", "three"));

        var refused = await Assert.ThrowsAsync<RecFrameworkException>(() => versions.AcquireAsync(Request("v0004"), CancellationToken.None).AsTask());

        Assert.Equal(RecError.ArtifactCorrupt, refused.Error);
        Assert.Contains("'v0004'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("bad weights", refused.Message, StringComparison.Ordinal);
        Assert.Empty(versions.PinnedVersions);
        using var serving = await versions.AcquireAsync(Request(null), CancellationToken.None);
        Assert.Equal("three", serving.Value!.Text);
    }

    [Theory]
    [InlineData("../v0001")]
    [InlineData("v0001/../../x")]
    [InlineData("")]
    public async Task AVersionNameThatIsNoNameIsRefusedWithoutTouchingTheStore(string version)
    {
        using var versions = Create();
        versions.Swap(new Model("v0003", "three"));

        var request = Request(version);
        if (version.Length == 0)
        {
            // An empty value pins nothing.
            using var lease = await versions.AcquireAsync(request, CancellationToken.None);
            Assert.Equal("v0003", lease.Value!.Version);
            return;
        }

        var refused = await Assert.ThrowsAsync<RecFrameworkException>(() => versions.AcquireAsync(request, CancellationToken.None).AsTask());
        Assert.Equal(RecError.InvalidArgument, refused.Error);
        Assert.Empty(_loaded);
    }

    [Fact]
    public async Task WithPinningOffOnlyTheServingVersionIsServed()
    {
        _maxPinned = 0;
        using var versions = Create();
        versions.Swap(new Model("v0003", "three"));

        var refused = await Assert.ThrowsAsync<RecFrameworkException>(() => versions.AcquireAsync(Request("v0001"), CancellationToken.None).AsTask());

        Assert.Equal(RecError.InvalidConfiguration, refused.Error);
        Assert.Contains("MaxPinnedVersions = 0", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_loaded);
    }

    [Fact]
    public async Task ActivatingAPinnedVersionRetiresItsPinnedCopy()
    {
        using var versions = Create();
        versions.Swap(new Model("v0003", "three"));
        (await versions.AcquireAsync(Request("v0001"), CancellationToken.None)).Dispose();

        versions.Swap(new Model("v0001", "one"));

        Assert.Empty(versions.PinnedVersions);
        Assert.True(Assert.Single(_loaded).Disposed);
        using var lease = await versions.AcquireAsync(Request("v0001"), CancellationToken.None);
        Assert.Equal("v0001", versions.ActiveVersion);
        Assert.Single(_loaded);
    }

    [Fact]
    public async Task ConcurrentRequestsOverMoreVersionsThanTheBoundNeverSeeADisposedArtifactAndAllAreFreedAtTheEnd()
    {
        _maxPinned = 1;
        var versions = Create();
        versions.Swap(new Model("v0003", "three"));
        var names = new[] { "v0001", "v0002", null };
        var misuse = 0;
        var served = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                using var lease = await versions.AcquireAsync(Request(names[(worker + i) % names.Length]), CancellationToken.None);
                if (!lease.Value!.Use())
                {
                    Interlocked.Increment(ref misuse);
                }

                Interlocked.Increment(ref served);
            }
        })));
        versions.Dispose();

        Assert.Equal(0, misuse);
        Assert.Equal(240, served);

        // A version retired while it was loading is disposed by a continuation of its load: give it time to run.
        for (var wait = 0; wait < 300 && AnyAlive(); wait++)
        {
            await Task.Delay(100);
        }

        lock (_loaded)
        {
            Assert.NotEmpty(_loaded);
            Assert.All(_loaded, m => Assert.True(m.Disposed, $"{m.Version} was not disposed"));
        }
    }

    private bool AnyAlive()
    {
        lock (_loaded)
        {
            return _loaded.Any(m => !m.Disposed);
        }
    }

    private ArtifactVersions<Model> Create(int retrySeconds = 30, int idleSeconds = 900)
    {
        var services = new ServiceCollection();
        services.AddOptions<ChannelOptions>(Channel).Configure(o =>
        {
            o.MaxPinnedVersions = _maxPinned;
            o.PinnedVersionRetrySeconds = retrySeconds;
            o.PinnedVersionIdleSeconds = idleSeconds;
        });
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(_logs)));
        var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<ChannelOptions>>();
        return new ArtifactVersions<Model>(Channel, m => m.Version, Load, new PinnedVersionSource(_store, monitor, _clock, provider.GetRequiredService<ILoggerFactory>()));
    }

    private ValueTask<Model> Load(ArtifactHandle handle, CancellationToken cancellationToken)
    {
        var text = File.ReadAllText(handle.PathOf("data.txt"));
        if (text == "corrupt")
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, "bad weights");
        }

        var model = new Model(handle.Manifest.Version, text);
        lock (_loaded)
        {
            _loaded.Add(model);
        }

        return ValueTask.FromResult(model);
    }

    private void Publish(string text)
    {
        var draft = _store.CreateDraft(Channel);
        File.WriteAllText(draft.PathOf("data.txt"), text);
        _store.Publish(draft, new ArtifactManifest { Channel = Channel, Version = draft.Version });
    }

    private static RecallRequest Request(string? version) => new()
    {
        UserId = 1,
        K = 10,
        Parameters = version is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [RecallParameterKeys.Version] = version },
    };

    /// <summary>A loaded artifact that knows whether it was disposed (twice is an error).</summary>
    private sealed class Model(string version, string text) : IDisposable
    {
        private int _disposed;

        public string Version { get; } = version;

        public string Text { get; } = text;

        public bool Disposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>Stands for a native call: false when the memory would already be freed.</summary>
        public bool Use() => !Disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                throw new ObjectDisposedException(Version, "disposed twice");
            }
        }
    }

    /// <summary>A monotonic clock the test moves by hand.</summary>
    private sealed class StepClock : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Stores;
using RecFramework.Vectors;
using TorchSharp;

namespace RecFramework.Channels.TwoTower;

/// <summary>
/// The two-tower recall channel (<c>two-tower</c>): computes the user vector online from the user tower (no
/// autograd, thread-safe), searches the item-vector index for the top-k and skips excluded items. Users unseen in
/// training are served through their profile features with the out-of-vocabulary id slot. Activation loads a new
/// artifact beside the current one and swaps it atomically in an <see cref="ArtifactSlot{T}"/>: every call leases the
/// artifact it started with, and the previous model and native index are disposed as soon as the last call that
/// leased them returns. A request whose parameters pin another version (<c>two-tower.version</c>) is served by that
/// version, loaded on first use and kept in the bounded set of <see cref="ArtifactVersions{T}"/>. With <see cref="TwoTowerOptions.CacheUserVectors"/> the user vector is read from (and written
/// back to) the <see cref="IUserEmbeddingStore"/> under the serving model's version, when that model reads no
/// per-request history.
/// </summary>
[RecallChannel(ChannelName)]
internal sealed class TwoTowerChannel : IRecallChannel, IArtifactChannel, IDisposable
{
    /// <summary>The default channel name.</summary>
    public const string ChannelName = "two-tower";

    private readonly IVectorIndexFactory _indexFactory;
    private readonly ArtifactVersions<TwoTowerArtifact> _artifact;
    private readonly ILogger _logger;
    private long _towerPasses;

    /// <summary>Creates the channel; <paramref name="name"/> is its registration key.</summary>
    /// <param name="indexFactory">Builds the item-vector index of each artifact.</param>
    /// <param name="name">Registration key and channel name.</param>
    /// <param name="options">The channel's named options (serving settings such as the user-vector cache); none: defaults.</param>
    /// <param name="userVectors">Store of the user-vector cache; needed only with <see cref="TwoTowerOptions.CacheUserVectors"/>.</param>
    /// <param name="logger">Logger; none: nothing is logged.</param>
    /// <param name="time">Clock of the warning rate limit; none: the system clock.</param>
    /// <param name="pinned">Store and bounds of versions pinned by requests (<c>two-tower.version</c>); none: only the serving version is served.</param>
    public TwoTowerChannel(
        IVectorIndexFactory indexFactory,
        [ServiceKey] string name = ChannelName,
        IOptionsMonitor<TwoTowerOptions>? options = null,
        IUserEmbeddingStore? userVectors = null,
        ILogger<TwoTowerChannel>? logger = null,
        TimeProvider? time = null,
        PinnedVersionSource? pinned = null)
    {
        ArgumentNullException.ThrowIfNull(indexFactory);
        _indexFactory = indexFactory;
        Name = name;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _artifact = new ArtifactVersions<TwoTowerArtifact>(name, a => a.Version, (handle, _) => ValueTask.FromResult(Load(handle)), pinned, disposeInBackground: true);
        var settings = options?.Get(name);
        if (settings is { CacheUserVectors: true })
        {
            Cache = new UserVectorCache(
                userVectors ?? throw new RecFrameworkException(RecError.InvalidConfiguration, $"Channel '{name}': CacheUserVectors is on but no {nameof(IUserEmbeddingStore)} is registered (AddRecFramework registers one)."),
                name,
                settings,
                _logger,
                time ?? TimeProvider.System);
        }
    }

    /// <summary>Forward passes of the user tower so far (cache hits skip them).</summary>
    internal long TowerForwardPasses => Interlocked.Read(ref _towerPasses);

    /// <summary>The user-vector cache, or null when <see cref="TwoTowerOptions.CacheUserVectors"/> is off.</summary>
    internal UserVectorCache? Cache { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string? ActiveVersion => _artifact.Current?.Version;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.K);
        cancellationToken.ThrowIfCancellationRequested();
        if (Cache is { } cache)
        {
            return RecallCachedAsync(cache, request, cancellationToken);
        }

        var leasing = _artifact.AcquireAsync(request, cancellationToken);
        if (!leasing.IsCompletedSuccessfully)
        {
            return RecallPinnedAsync(leasing, request);
        }

        using var lease = leasing.Result;
        var artifact = lease.Value ?? throw NotReady();
        return ValueTask.FromResult(Search(artifact, UserVector(artifact, request.UserId, request.Profile, request.History), request));
    }

    /// <summary>Versions pinned by requests (<c>two-tower.version</c>) that are loaded now, beside the serving one.</summary>
    public IReadOnlyList<string> PinnedVersions => _artifact.PinnedVersions;

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        _artifact.Swap(Load(artifact));
        return ValueTask.CompletedTask;
    }

    /// <summary>Loads a version (to serve, or pinned by requests) and logs its load times.</summary>
    private TwoTowerArtifact Load(ArtifactHandle artifact)
    {
        var loaded = TwoTowerArtifact.Load(artifact, _indexFactory);
        var times = loaded.LoadTimes;
        Log.Loaded(_logger, Name, loaded.Version, times.TotalMs, times.EncodersMs, times.TowerMs, times.UserRowsMs, times.IndexMs);
        if (Cache is not null && !Cacheable(loaded))
        {
            Log.UserVectorCacheBypassed(_logger, Name, loaded.Version, loaded.Options.HistoryLength);
        }

        return loaded;
    }

    /// <summary>Recall once a pinned version has been leased (its first request waits for its load).</summary>
    private async ValueTask<RecallResult> RecallPinnedAsync(ValueTask<ArtifactLease<TwoTowerArtifact>> leasing, RecallRequest request)
    {
        using var lease = await leasing.ConfigureAwait(false);
        var artifact = lease.Value ?? throw NotReady();
        return Search(artifact, UserVector(artifact, request.UserId, request.Profile, request.History), request);
    }

    /// <summary>
    /// The user vector of <paramref name="userId"/>: profile features win over the stored row when given, and a
    /// non-empty <paramref name="history"/> replaces the training-time history the row was stored with.
    /// </summary>
    internal float[] UserVector(long userId, Profile? profile, IReadOnlyList<Interaction>? history = null)
    {
        using var lease = _artifact.Acquire();
        var artifact = lease.Value ?? throw NotReady();
        return UserVector(artifact, userId, profile, history ?? []);
    }

    /// <inheritdoc />
    public void Dispose() => _artifact.Dispose();

    /// <summary>Whether vectors of <paramref name="artifact"/> may be cached: its user tower reads no request history.</summary>
    private static bool Cacheable(TwoTowerArtifact artifact) => artifact.Options.HistoryLength == 0;

    private RecFrameworkException NotReady() => new(RecError.ChannelNotReady, $"Channel '{Name}' has no artifact activated.");

    /// <summary>Recall with the user-vector cache: a hit skips the tower, a miss computes it and writes it back.</summary>
    private async ValueTask<RecallResult> RecallCachedAsync(UserVectorCache cache, RecallRequest request, CancellationToken cancellationToken)
    {
        using var lease = await _artifact.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        var artifact = lease.Value ?? throw NotReady();
        if (!Cacheable(artifact))
        {
            return Search(artifact, UserVector(artifact, request.UserId, request.Profile, request.History), request);
        }

        var vector = await cache.TryGetAsync(artifact.Version, request.UserId, artifact.Options.Dimension, cancellationToken).ConfigureAwait(false);
        if (vector is null)
        {
            vector = UserVector(artifact, request.UserId, request.Profile, request.History);
            cache.Put(artifact.Version, request.UserId, vector);
        }

        return Search(artifact, vector, request);
    }

    /// <summary>Top <c>request.K</c> items of the index for <paramref name="vector"/>, skipping excluded ones.</summary>
    private static RecallResult Search(TwoTowerArtifact artifact, float[] vector, RecallRequest request) =>
        VectorRecall.Search(artifact.Index!, artifact.Version, vector, request);

    private float[] UserVector(TwoTowerArtifact artifact, long userId, Profile? profile, IReadOnlyList<Interaction> history)
    {
        Interlocked.Increment(ref _towerPasses);
        if (artifact.Imported is { } imported)
        {
            return imported.UserVector(userId, profile);
        }

        var tower = artifact.ManagedUserTower!;
        var length = artifact.Options.HistoryLength;
        var known = artifact.UserRowOf.TryGetValue(userId, out var row);
        if (profile is null && known && !(length > 0 && (history.Count > 0 || artifact.UserRows.HistoryLength == 0)))
        {
            // A known user as encoded at build time: read the stored row in place.
            return tower.Forward(artifact.UserRows, row);
        }

        EncodedRows rows;
        if (profile is null && known)
        {
            rows = artifact.UserRows.Row(row);
        }
        else
        {
            rows = artifact.UserEncoder.Encode([userId], _ => profile);
            if (known && artifact.UserRows.HistoryLength > 0)
            {
                rows.SetHistory(artifact.UserRows.HistoryLength, artifact.UserRows.Row(row).History);
            }
        }

        if (length > 0 && (history.Count > 0 || rows.HistoryLength == 0))
        {
            var slots = new long[length];
            HistorySlots.FillFromInteractions(slots, history, artifact.ItemEncoder
                ?? throw new InvalidOperationException("A model that reads history is loaded with its item encoder."));
            rows.SetHistory(length, slots);
        }

        return tower.Forward(rows, 0);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.MatrixCompletion;

/// <summary>
/// The matrix-completion recall channel (<c>matrix-completion</c>): looks the user's embedding up by id and searches
/// the index of item embeddings by inner product, skipping excluded items. The model has nothing but ids, so a user
/// unseen in training gets an empty answer (the pipeline's cold-start fallback serves them). Versions swap
/// atomically and a request may pin another one (<c>matrix-completion.version</c>) through
/// <see cref="ArtifactVersions{T}"/>, as for every artifact-backed channel.
/// </summary>
[RecallChannel(MatrixCompletionOptions.ChannelName)]
internal sealed class MatrixCompletionChannel : IRecallChannel, IArtifactChannel, IDisposable
{
    private readonly IVectorIndexFactory _indexFactory;
    private readonly ArtifactVersions<MatrixCompletionArtifact> _artifact;
    private readonly ILogger _logger;

    /// <summary>Creates the channel; <paramref name="name"/> is its registration key.</summary>
    /// <param name="indexFactory">Loads the item-vector index of each artifact.</param>
    /// <param name="name">Registration key and channel name.</param>
    /// <param name="logger">Logger; none: nothing is logged.</param>
    /// <param name="pinned">Store and bounds of versions pinned by requests; none: only the serving version is served.</param>
    public MatrixCompletionChannel(
        IVectorIndexFactory indexFactory,
        [ServiceKey] string name = MatrixCompletionOptions.ChannelName,
        ILogger<MatrixCompletionChannel>? logger = null,
        PinnedVersionSource? pinned = null)
    {
        ArgumentNullException.ThrowIfNull(indexFactory);
        _indexFactory = indexFactory;
        Name = name;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _artifact = new ArtifactVersions<MatrixCompletionArtifact>(name, a => a.Version, (handle, _) => ValueTask.FromResult(Load(handle)), pinned, disposeInBackground: true);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string? ActiveVersion => _artifact.ActiveVersion;

    /// <summary>Versions pinned by requests that are loaded now, beside the serving one.</summary>
    public IReadOnlyList<string> PinnedVersions => _artifact.PinnedVersions;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.K);
        cancellationToken.ThrowIfCancellationRequested();
        var leasing = _artifact.AcquireAsync(request, cancellationToken);
        if (!leasing.IsCompletedSuccessfully)
        {
            return RecallPinnedAsync(leasing, request);
        }

        using var lease = leasing.Result;
        return ValueTask.FromResult(Recall(lease.Value, request));
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        _artifact.Swap(Load(artifact));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _artifact.Dispose();

    private MatrixCompletionArtifact Load(ArtifactHandle handle)
    {
        var loaded = MatrixCompletionArtifact.Load(handle, _indexFactory);
        Log.MatrixCompletionLoaded(_logger, Name, loaded.Version, loaded.UserRowOf.Count, loaded.Index.Count);
        return loaded;
    }

    private async ValueTask<RecallResult> RecallPinnedAsync(ValueTask<ArtifactLease<MatrixCompletionArtifact>> leasing, RecallRequest request)
    {
        using var lease = await leasing.ConfigureAwait(false);
        return Recall(lease.Value, request);
    }

    private RecallResult Recall(MatrixCompletionArtifact? artifact, RecallRequest request)
    {
        if (artifact is null)
        {
            throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{Name}' has no artifact activated.");
        }

        return artifact.UserVector(request.UserId) is { } vector
            ? VectorRecall.Search(artifact.Index, artifact.Version, vector, request)
            : RecallResult.Empty with { Version = artifact.Version };
    }
}

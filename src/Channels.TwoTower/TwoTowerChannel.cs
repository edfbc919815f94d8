using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Vectors;
using TorchSharp;

namespace RecFramework.Channels.TwoTower;

/// <summary>
/// The two-tower recall channel (<c>two-tower</c>): computes the user vector online from the user tower (no
/// autograd, thread-safe), searches the item-vector index for the top-k and skips excluded items. Users unseen in
/// training are served through their profile features with the out-of-vocabulary id slot. Activation loads a new
/// artifact beside the current one and swaps it atomically in an <see cref="ArtifactSlot{T}"/>: every call leases the
/// artifact it started with, and the previous model and native index are disposed as soon as the last call that
/// leased them returns.
/// </summary>
[RecallChannel(ChannelName)]
internal sealed class TwoTowerChannel : IRecallChannel, IArtifactChannel, IDisposable
{
    /// <summary>The default channel name.</summary>
    public const string ChannelName = "two-tower";

    private readonly IVectorIndexFactory _indexFactory;
    private readonly ArtifactSlot<TwoTowerArtifact> _artifact = new();

    /// <summary>Creates the channel; <paramref name="name"/> is its registration key.</summary>
    public TwoTowerChannel(IVectorIndexFactory indexFactory, [ServiceKey] string name = ChannelName)
    {
        ArgumentNullException.ThrowIfNull(indexFactory);
        _indexFactory = indexFactory;
        Name = name;
    }

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
        using var lease = _artifact.Acquire();
        var artifact = lease.Value ?? throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{Name}' has no artifact activated.");
        var index = artifact.Index!;
        var vector = UserVector(artifact, request.UserId, request.Profile, request.History);
        var fetch = (int)Math.Min(index.Count, request.K + request.Exclude.Count);
        if (fetch <= 0)
        {
            return ValueTask.FromResult(RecallResult.Empty with { Version = artifact.Version });
        }

        // Pooled result buffers: the allocating search costs a few per cent of a sub-millisecond query.
        var ids = ArrayPool<long>.Shared.Rent(fetch);
        var scores = ArrayPool<float>.Shared.Rent(fetch);
        try
        {
            index.Search(vector, fetch, ids.AsSpan(0, fetch), scores.AsSpan(0, fetch));
            var items = new List<ScoredItem>(request.K);
            for (var i = 0; i < fetch && items.Count < request.K; i++)
            {
                if (ids[i] >= 0 && !request.Exclude.Contains(ids[i]))
                {
                    items.Add(new ScoredItem(ids[i], scores[i]));
                }
            }

            return ValueTask.FromResult(new RecallResult(items) { Version = artifact.Version });
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        _artifact.Swap(TwoTowerArtifact.Load(artifact, _indexFactory));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The user vector of <paramref name="userId"/>: profile features win over the stored row when given, and a
    /// non-empty <paramref name="history"/> replaces the training-time history the row was stored with.
    /// </summary>
    internal float[] UserVector(long userId, Profile? profile, IReadOnlyList<Interaction>? history = null)
    {
        using var lease = _artifact.Acquire();
        var artifact = lease.Value ?? throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{Name}' has no artifact activated.");
        return UserVector(artifact, userId, profile, history ?? []);
    }

    /// <inheritdoc />
    public void Dispose() => _artifact.Dispose();

    private static float[] UserVector(TwoTowerArtifact artifact, long userId, Profile? profile, IReadOnlyList<Interaction> history)
    {
        EncodedRows rows;
        var known = artifact.UserRowOf.TryGetValue(userId, out var row);
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

        var length = artifact.Options.HistoryLength;
        if (length > 0 && (history.Count > 0 || rows.HistoryLength == 0))
        {
            var slots = new long[length];
            HistorySlots.FillFromInteractions(slots, history, artifact.ItemEncoder);
            rows.SetHistory(length, slots);
        }

        using var scope = torch.NewDisposeScope();
        using var mode = torch.inference_mode();
        return artifact.Model.User.call(TowerInput.From(rows)).data<float>().ToArray();
    }
}

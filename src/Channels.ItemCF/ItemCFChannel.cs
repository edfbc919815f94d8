using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The <c>itemcf</c> recall channel: the user's last-N items (request history, else the artifact's last-N index)
/// expand to their top-K similar items, each candidate scored <c>sum_j like(user, j)·sim(candidate, j)</c>.
/// Activation loads a new artifact beside the current one and swaps an immutable snapshot reference; scoring uses
/// the options recorded in the artifact (the configured ones only for artifacts without any). With
/// <see cref="NeighbourhoodOptions.NeighbourSource"/> = <see cref="NeighbourSource.Store"/> the neighbour lists come from
/// the shared <see cref="INeighbourListStore"/> (published there on activation), with identical results.
/// </summary>
[RecallChannel(ItemCFOptions.ChannelName)]
internal sealed class ItemCFChannel(IOptions<ItemCFOptions> options, INeighbourListStore? store = null, ILogger<ItemCFChannel>? logger = null) : IRecallChannel, IArtifactChannel
{
    private readonly CfArtifactSlot<ItemCFOptions> _slot = new(ItemCFOptions.ChannelName, userNeighbours: false, options.Value, store, logger);

    /// <inheritdoc />
    public string Name => ItemCFOptions.ChannelName;

    /// <inheritdoc />
    public string? ActiveVersion => _slot.ActiveVersion;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        var artifact = _slot.For(request, cancellationToken);
        return _slot.Store is { } neighbourStore
            ? StoreNeighbourhoodRecall.RecallByItemsAsync(neighbourStore, Name, artifact, request, cancellationToken)
            : ValueTask.FromResult(NeighbourhoodRecall.RecallByItems(artifact, request, artifact.Options, artifact.LikeModel));
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken) => _slot.ActivateAsync(artifact, cancellationToken);

    /// <summary>Whether the last activation published the neighbour lists to the store (false: already there, or not reading the store).</summary>
    internal bool PublishedLastActivation => _slot.PublishedLastActivation;
}

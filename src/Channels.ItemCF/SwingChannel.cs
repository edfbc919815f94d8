using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The <c>swing</c> recall channel: the user's last-N items (request history, else the artifact's last-N index)
/// expand to their top-K Swing neighbours, scored like ItemCF with Swing similarities.
/// Activation loads a new artifact beside the current one and swaps an immutable snapshot reference; scoring uses
/// the options recorded in the artifact (the configured ones only for artifacts without any). With
/// <see cref="NeighbourhoodOptions.NeighbourSource"/> = <see cref="NeighbourSource.Store"/> the neighbour lists come from
/// the shared <see cref="INeighbourListStore"/> (published there on activation), with identical results.
/// </summary>
[RecallChannel(SwingOptions.ChannelName)]
internal sealed class SwingChannel(IOptions<SwingOptions> options, INeighbourListStore? store = null, ILogger<SwingChannel>? logger = null) : IRecallChannel, IArtifactChannel
{
    private readonly CfArtifactSlot<SwingOptions> _slot = new(SwingOptions.ChannelName, userNeighbours: false, options.Value, store, logger);

    /// <inheritdoc />
    public string Name => SwingOptions.ChannelName;

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

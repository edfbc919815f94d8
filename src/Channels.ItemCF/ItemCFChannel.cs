using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The <c>itemcf</c> recall channel: the user's last-N items (request history, else the artifact's last-N index)
/// expand to their top-K similar items, each candidate scored <c>sum_j like(user, j)·sim(candidate, j)</c>.
/// Activation loads a new artifact beside the current one and swaps an immutable snapshot reference; scoring uses
/// the options recorded in the artifact (the configured ones only for artifacts without any).
/// </summary>
[RecallChannel(ItemCFOptions.ChannelName)]
internal sealed class ItemCFChannel(IOptions<ItemCFOptions> options) : IRecallChannel, IArtifactChannel
{
    private readonly ItemCFOptions _options = options.Value;
    private readonly CfArtifactSlot _slot = new(ItemCFOptions.ChannelName, userNeighbours: false);

    /// <inheritdoc />
    public string Name => ItemCFOptions.ChannelName;

    /// <inheritdoc />
    public string? ActiveVersion => _slot.ActiveVersion;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        var artifact = _slot.For(request, cancellationToken);
        return ValueTask.FromResult(NeighbourhoodRecall.RecallByItems(artifact, request, artifact.Options, artifact.LikeModel));
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        _slot.Activate(artifact, _options);
        return ValueTask.CompletedTask;
    }
}

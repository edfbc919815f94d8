using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The <c>usercf</c> recall channel: the user's top-K similar users (from the artifact) contribute their last-N
/// items, each candidate scored <c>sum_v sim(user, v)·like(v, item)</c>; users unknown to the artifact get nothing.
/// Activation loads a new artifact beside the current one and swaps an immutable snapshot reference; scoring uses
/// the options recorded in the artifact (the configured ones only for artifacts without any). With
/// <see cref="NeighbourhoodOptions.NeighbourSource"/> = <see cref="NeighbourSource.Store"/> the neighbour lists come from
/// the shared <see cref="INeighbourListStore"/> (published there on activation), with identical results.
/// </summary>
[RecallChannel(UserCFOptions.ChannelName)]
internal sealed class UserCFChannel(IOptions<UserCFOptions> options, INeighbourListStore? store = null, ILogger<UserCFChannel>? logger = null) : IRecallChannel, IArtifactChannel
{
    private readonly CfArtifactSlot<UserCFOptions> _slot = new(UserCFOptions.ChannelName, userNeighbours: true, options.Value, store, logger);

    /// <inheritdoc />
    public string Name => UserCFOptions.ChannelName;

    /// <inheritdoc />
    public string? ActiveVersion => _slot.ActiveVersion;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        var artifact = _slot.For(request, cancellationToken);
        return _slot.Store is { } neighbourStore
            ? StoreNeighbourhoodRecall.RecallByUsersAsync(neighbourStore, Name, artifact, request, cancellationToken)
            : ValueTask.FromResult(NeighbourhoodRecall.RecallByUsers(artifact, request, artifact.Options, artifact.LikeModel));
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken) => _slot.ActivateAsync(artifact, cancellationToken);

    /// <summary>Whether the last activation published the neighbour lists to the store (false: already there, or not reading the store).</summary>
    internal bool PublishedLastActivation => _slot.PublishedLastActivation;
}

using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The <c>usercf</c> recall channel: the user's top-K similar users (from the artifact) contribute their last-N
/// items, each candidate scored <c>sum_v sim(user, v)·like(v, item)</c>; users unknown to the artifact get nothing.
/// Activation loads a new artifact beside the current one and swaps an immutable snapshot reference; scoring uses
/// the options recorded in the artifact (the configured ones only for artifacts without any).
/// </summary>
[RecallChannel(UserCFOptions.ChannelName)]
internal sealed class UserCFChannel(IOptions<UserCFOptions> options) : IRecallChannel, IArtifactChannel
{
    private readonly UserCFOptions _options = options.Value;
    private readonly CfArtifactSlot _slot = new(UserCFOptions.ChannelName, userNeighbours: true);

    /// <inheritdoc />
    public string Name => UserCFOptions.ChannelName;

    /// <inheritdoc />
    public string? ActiveVersion => _slot.ActiveVersion;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        var artifact = _slot.For(request, cancellationToken);
        return ValueTask.FromResult(NeighbourhoodRecall.RecallByUsers(artifact, request, artifact.Options, artifact.LikeModel));
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        _slot.Activate(artifact, _options);
        return ValueTask.CompletedTask;
    }
}

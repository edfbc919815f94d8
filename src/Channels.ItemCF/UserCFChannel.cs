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
    private CfArtifact? _artifact;

    /// <inheritdoc />
    public string Name => UserCFOptions.ChannelName;

    /// <inheritdoc />
    public string? ActiveVersion => Volatile.Read(ref _artifact)?.Version;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.K);
        cancellationToken.ThrowIfCancellationRequested();
        var artifact = Volatile.Read(ref _artifact)
            ?? throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{Name}' has no artifact activated; run 'build {Name}' and activate it.");
        return ValueTask.FromResult(NeighbourhoodRecall.RecallByUsers(artifact, request, artifact.Options, artifact.LikeModel));
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        var loaded = CfArtifact.Load(artifact, Name, userNeighbours: true, _options);
        Interlocked.Exchange(ref _artifact, loaded);
        return ValueTask.CompletedTask;
    }
}

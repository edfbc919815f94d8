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
    private CfArtifact? _artifact;

    /// <inheritdoc />
    public string Name => ItemCFOptions.ChannelName;

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
        return ValueTask.FromResult(NeighbourhoodRecall.RecallByItems(artifact, request, artifact.Options, artifact.LikeModel));
    }

    /// <inheritdoc />
    public ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken)
    {
        var loaded = CfArtifact.Load(artifact, Name, userNeighbours: false, _options);
        Interlocked.Exchange(ref _artifact, loaded);
        return ValueTask.CompletedTask;
    }
}

using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The active artifact of one neighbourhood channel: activation loads a version beside the current one and swaps
/// the reference, so requests in flight finish on the snapshot they read.
/// </summary>
internal sealed class CfArtifactSlot(string channel, bool userNeighbours)
{
    private CfArtifact? _artifact;

    /// <summary>Version of the active artifact, or null.</summary>
    public string? ActiveVersion => Volatile.Read(ref _artifact)?.Version;

    /// <summary>The active artifact.</summary>
    /// <exception cref="RecFrameworkException">None is active (<see cref="RecError.ChannelNotReady"/>).</exception>
    public CfArtifact Current => Volatile.Read(ref _artifact)
        ?? throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{channel}' has no artifact activated; run 'build {channel}' and activate it.");

    /// <summary>Loads <paramref name="handle"/> (its recorded options win over <paramref name="fallback"/>) and makes it active.</summary>
    public void Activate<TOptions>(ArtifactHandle handle, TOptions fallback)
        where TOptions : NeighbourhoodOptions
    {
        var loaded = CfArtifact.Load(handle, channel, userNeighbours, fallback);
        Interlocked.Exchange(ref _artifact, loaded);
    }

    /// <summary>Checks a request at the channel boundary and returns the artifact to serve it from.</summary>
    public CfArtifact For(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.K);
        cancellationToken.ThrowIfCancellationRequested();
        return Current;
    }
}

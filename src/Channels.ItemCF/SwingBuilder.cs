using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>Offline side of <c>swing</c>: item → top-K Swing neighbours and user → last-N items.</summary>
internal sealed class SwingBuilder(IOptions<SwingOptions> options) : IChannelBuilder
{
    /// <inheritdoc />
    public Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.Run(
            () => NeighbourhoodBuild.Run(context, options.Value, new SwingOptionsValidator(), (m, o, seed) => new SwingKernel(m, o, seed), userRows: false, cancellationToken),
            cancellationToken);
    }
}

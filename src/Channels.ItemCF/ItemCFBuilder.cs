using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>Offline side of <c>itemcf</c>: item → top-K similar items (cosine of like vectors) and user → last-N items.</summary>
internal sealed class ItemCFBuilder(IOptions<ItemCFOptions> options) : IChannelBuilder
{
    /// <inheritdoc />
    public Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.Run(
            () => NeighbourhoodBuild.Run(context, options.Value, new ItemCFOptionsValidator(), (m, o, _) => new ItemCFKernel(m, o), userRows: false, cancellationToken),
            cancellationToken);
    }
}

using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>Offline side of <c>usercf</c>: user → top-K similar users (popularity-penalised overlap) and user → last-N items.</summary>
internal sealed class UserCFBuilder(IOptions<UserCFOptions> options) : IChannelBuilder
{
    /// <inheritdoc />
    public Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.Run(
            () => NeighbourhoodBuild.Run(context, options.Value, new UserCFOptionsValidator(), (m, o, seed) => new UserCFKernel(m, o, seed), userRows: true, cancellationToken),
            cancellationToken);
    }
}

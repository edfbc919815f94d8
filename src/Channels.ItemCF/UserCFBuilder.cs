using System.Diagnostics;
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
        return Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            var effective = NeighbourhoodBuild.Effective(options.Value, context.Parameters, new UserCFOptionsValidator(), context.Channel);
            var threads = NeighbourhoodBuild.Threads(effective);
            var matrix = UserItemMatrix.Build(context.Data.Interactions, effective, threads, cancellationToken);
            var matrixSeconds = watch.Elapsed.TotalSeconds;
            var kernel = new UserCFKernel(matrix, effective, context.Seed);
            var neighbours = NeighbourIndexBuilder.Build(kernel, matrix.UserIds, effective.Neighbours, effective.NormalizeRows, threads, context.Progress, "usercf", cancellationToken);
            return NeighbourhoodBuild.Publish(context, effective, matrix, neighbours, watch, matrixSeconds, watch.Elapsed.TotalSeconds - matrixSeconds);
        }, cancellationToken);
    }
}

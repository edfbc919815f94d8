using System.Diagnostics;
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
        return Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            var effective = NeighbourhoodBuild.Effective(options.Value, context.Parameters, new ItemCFOptionsValidator(), context.Channel);
            var threads = NeighbourhoodBuild.Threads(effective);
            var matrix = UserItemMatrix.Build(context.Data.Interactions, effective, threads, cancellationToken);
            var matrixSeconds = watch.Elapsed.TotalSeconds;
            var kernel = new ItemCFKernel(matrix, effective);
            var neighbours = NeighbourIndexBuilder.Build(kernel, matrix.ItemIds, effective.Neighbours, effective.NormalizeRows, threads, context.Progress, "itemcf", cancellationToken);
            return NeighbourhoodBuild.Publish(context, effective, matrix, neighbours, watch, matrixSeconds, watch.Elapsed.TotalSeconds - matrixSeconds);
        }, cancellationToken);
    }
}

using System.Diagnostics;
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
        return Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            var effective = NeighbourhoodBuild.Effective(options.Value, context.Parameters, new SwingOptionsValidator(), context.Channel);
            var threads = NeighbourhoodBuild.Threads(effective);
            var matrix = UserItemMatrix.Build(context.Data.Interactions, effective, threads, cancellationToken);
            var matrixSeconds = watch.Elapsed.TotalSeconds;
            var kernel = new SwingKernel(matrix, effective, context.Seed);
            var neighbours = NeighbourIndexBuilder.Build(kernel, matrix.ItemIds, effective.Neighbours, effective.NormalizeRows, threads, context.Progress, "swing", cancellationToken);
            return NeighbourhoodBuild.Publish(context, effective, matrix, neighbours, watch, matrixSeconds, watch.Elapsed.TotalSeconds - matrixSeconds);
        }, cancellationToken);
    }
}

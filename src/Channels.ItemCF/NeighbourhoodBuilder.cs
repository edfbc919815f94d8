using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Offline side of a neighbourhood channel: the top-K neighbour index of the kind's kernel (item → items for
/// <c>itemcf</c> and <c>swing</c>, user → users for <c>usercf</c>) and the user → last-N items index, published as
/// one artifact under the build context's channel.
/// </summary>
/// <typeparam name="TOptions">The channel's options class, which also names its kind.</typeparam>
internal sealed class NeighbourhoodBuilder<TOptions> : IChannelBuilder, RecFramework.Tuning.ITunableChannelBuilder
    where TOptions : NeighbourhoodOptions, INeighbourhoodKind<TOptions>
{
    private readonly Func<TOptions> _options;

    /// <summary>Creates the builder registered as <paramref name="name"/>; each build reads <c>options.Get(name)</c>.</summary>
    public NeighbourhoodBuilder([ServiceKey] string name, IOptionsMonitor<TOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = () => options.Get(name);
    }

    /// <summary>Creates a builder with fixed options (tests, benchmarks).</summary>
    internal NeighbourhoodBuilder(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = () => options;
    }

    /// <inheritdoc />
    public RecFramework.Tuning.TuningSpace TuningSpace => TOptions.SearchSpace;

    /// <inheritdoc />
    public Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configured = _options();
        return Task.Run(
            () => NeighbourhoodBuild.Run(context, configured, TOptions.CreateValidator(), TOptions.CreateKernel, TOptions.UserNeighbours, cancellationToken),
            cancellationToken);
    }
}

using Microsoft.Extensions.Options;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// What sets one neighbourhood channel apart from the others, implemented (explicitly) by its options class so that
/// <see cref="NeighbourhoodChannel{TOptions}"/> and <see cref="NeighbourhoodBuilder{TOptions}"/> serve all three:
/// whether the neighbour index is over users or items, the similarity kernel, and the options validator.
/// </summary>
/// <typeparam name="TSelf">The options class itself.</typeparam>
internal interface INeighbourhoodKind<TSelf>
    where TSelf : NeighbourhoodOptions, INeighbourhoodKind<TSelf>
{
    /// <summary>True when the neighbour index maps users to similar users (UserCF); false for item → items.</summary>
    static abstract bool UserNeighbours { get; }

    /// <summary>The similarity kernel over <paramref name="matrix"/> with <paramref name="options"/>.</summary>
    static abstract IRowKernel CreateKernel(UserItemMatrix matrix, TSelf options, int seed);

    /// <summary>The options worth searching when tuning the channel on a dataset (<see cref="RecFramework.Tuning.ITunableChannelBuilder"/>).</summary>
    static abstract RecFramework.Tuning.TuningSpace SearchSpace { get; }

    /// <summary>The DataAnnotations validator of the options (build parameters are checked with it).</summary>
    static abstract IValidateOptions<TSelf> CreateValidator();
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Options of an ItemCF channel (section <c>RecFramework:Channels:{name}:Options</c>, <c>{name}</c> = <c>itemcf</c> by default). Similarity is the cosine
/// of the like-weighted user vectors: <c>sum_v like(v,i1)·like(v,i2) / (‖i1‖·‖i2‖)</c>.
/// </summary>
public sealed class ItemCFOptions : NeighbourhoodOptions, INeighbourhoodKind<ItemCFOptions>
{
    /// <summary>The default channel name.</summary>
    public const string ChannelName = "itemcf";

    /// <summary>
    /// Creates the options with the ItemCF defaults: the course's cosine (popularity exponent 0.5) over the last 50
    /// items weighted by recency (half-life 7 items), the build reading each user's 100 most recent items — chosen on
    /// validation splits of both the time-ordered and the shuffled-time ML-100K train part, so that they do not
    /// depend on the data having a time order (docs/tuning.md; the earlier last-N 5 lost 12 % without time order).
    /// </summary>
    public ItemCFOptions()
    {
        LastN = 50;
        RecencyHalfLife = 7;
        MaxHistoryPerUser = 100;
    }

    /// <summary>
    /// Inverse user frequency: each co-occurrence from user <c>v</c> counts <c>1 / log(1 + |I_v|)</c> of its like
    /// product in the numerator, so heavy users weigh less. The norms are unchanged.
    /// </summary>
    public bool InverseUserFrequency { get; set; }

    /// <summary>
    /// Popularity exponent a of the denominator: <c>‖i1‖^(2(1-a))·‖i2‖^(2a)</c> with i2 the neighbour; 0.5 (default)
    /// is plain cosine, larger values penalise popular neighbours more.
    /// </summary>
    [Range(0.0, 1.0)]
    public double PopularityExponent { get; set; } = 0.5;

    /// <summary>
    /// The options a tuning run searches (<c>tune</c>, docs/tuning.md): last-N, history cap, neighbours, popularity
    /// exponent, inverse user frequency and recency weighting.
    /// </summary>
    public static RecFramework.Tuning.TuningSpace SearchSpace { get; } = RecFramework.Tuning.TuningSpace.Of(
        RecFramework.Tuning.TuningParameter.Of(nameof(LastN), 5, 10, 20, 50, 100),
        RecFramework.Tuning.TuningParameter.Of(nameof(RecencyHalfLife), 0.0, 3.0, 5.0, 7.0, 10.0),
        RecFramework.Tuning.TuningParameter.Of(nameof(MaxHistoryPerUser), 30, 100, 200, 500),
        RecFramework.Tuning.TuningParameter.Of(nameof(Neighbours), 20, 50, 100, 200),
        RecFramework.Tuning.TuningParameter.Of(nameof(PopularityExponent), 0.5, 0.6, 0.7),
        RecFramework.Tuning.TuningParameter.Bool(nameof(InverseUserFrequency)));

    /// <inheritdoc />
    static bool INeighbourhoodKind<ItemCFOptions>.UserNeighbours => false;

    /// <inheritdoc />
    static IRowKernel INeighbourhoodKind<ItemCFOptions>.CreateKernel(UserItemMatrix matrix, ItemCFOptions options, int seed) => new ItemCFKernel(matrix, options);

    /// <inheritdoc />
    static IValidateOptions<ItemCFOptions> INeighbourhoodKind<ItemCFOptions>.CreateValidator() => new ItemCFOptionsValidator();
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Options of a Swing channel (section <c>RecFramework:Channels:{name}:Options</c>, <c>{name}</c> = <c>swing</c> by default). Similarity:
/// <c>sum over unordered user pairs {u1, u2} who both liked i1 and i2 of w(u1)·w(u2) / (alpha + overlap(u1, u2))</c>,
/// overlap = number of items both liked (within the build's history cap), w(u) = 1/sqrt(|I_u|) or 1.
/// </summary>
public sealed class SwingOptions : NeighbourhoodOptions, INeighbourhoodKind<SwingOptions>
{
    /// <summary>The default channel name.</summary>
    public const string ChannelName = "swing";

    /// <summary>
    /// Creates the options with the Swing defaults: normalised neighbour lists, last-N 30 weighted by recency
    /// (half-life 5 items), the build reading each user's 50 most recent items — chosen on validation splits of both
    /// the time-ordered and the shuffled-time ML-100K train part (docs/tuning.md; the plain course formula is
    /// <c>NormalizeRows = false</c>, last-N 50; the earlier last-N 4 lost 7 % without time order, and a build reading
    /// only 30 items per user lost 3.7 % to the tuned options there).
    /// </summary>
    public SwingOptions()
    {
        LastN = 30;
        RecencyHalfLife = 5;
        MaxHistoryPerUser = 50;
        NormalizeRows = true;
    }

    /// <summary>Smoothing term alpha of <c>1 / (alpha + overlap)</c>.</summary>
    [Range(0.0, 1000.0)]
    public double Alpha { get; set; } = 1.0;

    /// <summary>Weight each user by <c>1/sqrt(|I_u|)</c>.</summary>
    public bool UserWeight { get; set; } = true;

    /// <summary>
    /// Users per item read by the build. Cost per item grows with the square of its user count, so hot items keep a
    /// deterministic sample: the users with the smallest hash of (seed, user, item).
    /// </summary>
    [Range(2, 100_000)]
    public int MaxUsersPerItem { get; set; } = 300;

    /// <summary>
    /// The options a tuning run searches (<c>tune</c>, docs/tuning.md): last-N, history cap, neighbours, alpha, row
    /// normalisation and recency weighting.
    /// </summary>
    public static RecFramework.Tuning.TuningSpace SearchSpace { get; } = RecFramework.Tuning.TuningSpace.Of(
        RecFramework.Tuning.TuningParameter.Of(nameof(LastN), 4, 10, 20, 50),
        RecFramework.Tuning.TuningParameter.Of(nameof(RecencyHalfLife), 0.0, 3.0, 5.0, 7.0, 10.0),
        RecFramework.Tuning.TuningParameter.Of(nameof(MaxHistoryPerUser), 30, 100, 200),
        RecFramework.Tuning.TuningParameter.Of(nameof(Neighbours), 50, 100, 200),
        RecFramework.Tuning.TuningParameter.Of(nameof(Alpha), 0.5, 1.0, 5.0),
        RecFramework.Tuning.TuningParameter.Bool(nameof(NormalizeRows)));

    /// <inheritdoc />
    static bool INeighbourhoodKind<SwingOptions>.UserNeighbours => false;

    /// <inheritdoc />
    static IRowKernel INeighbourhoodKind<SwingOptions>.CreateKernel(UserItemMatrix matrix, SwingOptions options, int seed) => new SwingKernel(matrix, options, seed);

    /// <inheritdoc />
    static IValidateOptions<SwingOptions> INeighbourhoodKind<SwingOptions>.CreateValidator() => new SwingOptionsValidator();
}

namespace RecFramework.Data.Synthetic;

/// <summary>
/// The hidden interest model behind synthetic data: every user has a primary and a secondary interest cluster, every
/// item a cluster, a quality (standard normal) and a popularity rank. A user clicks an exposed item with probability
/// <c>σ(ClickBias + affinity(user, item cluster) + QualityScale · quality)</c>. It is a pure function of
/// <see cref="SyntheticOptions"/> (seed included), so it can be rebuilt from a saved <c>synthetic.json</c> to simulate
/// clicks later (A/B traffic).
/// </summary>
public sealed class GroundTruthModel
{
    private const long UserStream = 1, ItemStream = 2, RankStream = 3;
    private readonly int[] _userPrimary;
    private readonly int[] _userSecondary;
    private readonly int[] _itemCluster;
    private readonly float[] _itemQuality;
    private readonly int[] _itemRank;

    private GroundTruthModel(SyntheticOptions options)
    {
        Options = options;
        var clusters = options.Clusters;
        _userPrimary = new int[options.Users];
        _userSecondary = new int[options.Users];
        for (var u = 0; u < options.Users; u++)
        {
            var rng = SyntheticRandom.For(options.Seed, UserStream, u + 1);
            var primary = rng.NextInt(clusters);
            _userPrimary[u] = primary;
            _userSecondary[u] = clusters == 1 ? primary : (primary + 1 + rng.NextInt(clusters - 1)) % clusters;
        }

        _itemCluster = new int[options.Items];
        _itemQuality = new float[options.Items];
        var keys = new ulong[options.Items];
        for (var i = 0; i < options.Items; i++)
        {
            var rng = SyntheticRandom.For(options.Seed, ItemStream, i + 1);
            var cluster = rng.NextInt(clusters);
            _itemCluster[i] = i < clusters ? i : cluster; // every cluster has at least one item
            _itemQuality[i] = (float)rng.NextGaussian();
            keys[i] = SyntheticRandom.For(options.Seed, RankStream, i + 1).NextUInt64();
        }

        ItemsByRank = Enumerable.Range(0, options.Items).ToArray();
        Array.Sort(keys, ItemsByRank);
        _itemRank = new int[options.Items];
        for (var r = 0; r < ItemsByRank.Length; r++)
        {
            _itemRank[ItemsByRank[r]] = r;
        }
    }

    /// <summary>The options (and seed) the model derives from.</summary>
    public SyntheticOptions Options { get; }

    /// <summary>Item indices (id − 1) from most to least popular.</summary>
    internal int[] ItemsByRank { get; }

    /// <summary>Rebuilds the model of <paramref name="options"/>.</summary>
    /// <exception cref="RecFrameworkException">An option is out of range.</exception>
    public static GroundTruthModel Create(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new GroundTruthModel(options);
    }

    /// <summary>Probability that <paramref name="userId"/> clicks <paramref name="itemId"/> when it is shown (no position bias).</summary>
    /// <exception cref="RecFrameworkException">Either id is outside the generated range.</exception>
    public double ClickProbability(long userId, long itemId) => ClickProbabilityAt(UserIndex(userId), ItemIndex(itemId));

    /// <summary>The user's (primary, secondary) interest clusters.</summary>
    public (int Primary, int Secondary) UserClusters(long userId)
    {
        var u = UserIndex(userId);
        return (_userPrimary[u], _userSecondary[u]);
    }

    /// <summary>The item's cluster.</summary>
    public int ItemCluster(long itemId) => _itemCluster[ItemIndex(itemId)];

    /// <summary>The item's popularity rank (0 = most exposed).</summary>
    public int ItemPopularityRank(long itemId) => _itemRank[ItemIndex(itemId)];

    /// <summary>The item's latent quality (standard normal).</summary>
    public double ItemQuality(long itemId) => _itemQuality[ItemIndex(itemId)];

    internal int PrimaryOf(int user) => _userPrimary[user];

    internal int SecondaryOf(int user) => _userSecondary[user];

    internal int ClusterOf(int item) => _itemCluster[item];

    internal int RankOf(int item) => _itemRank[item];

    internal double ClickProbabilityAt(int user, int item)
    {
        var cluster = _itemCluster[item];
        var logit = Options.ClickBias + (Options.QualityScale * _itemQuality[item]);
        if (cluster == _userPrimary[user])
        {
            logit += Options.PrimaryAffinity;
        }
        else if (cluster == _userSecondary[user])
        {
            logit += Options.SecondaryAffinity;
        }

        return 1.0 / (1.0 + Math.Exp(-logit));
    }

    private int UserIndex(long userId) => userId >= 1 && userId <= Options.Users
        ? (int)(userId - 1)
        : throw new RecFrameworkException(RecError.InvalidArgument, $"User {userId} is not a synthetic user (ids 1..{Options.Users}).");

    private int ItemIndex(long itemId) => itemId >= 1 && itemId <= Options.Items
        ? (int)(itemId - 1)
        : throw new RecFrameworkException(RecError.InvalidArgument, $"Item {itemId} is not a synthetic item (ids 1..{Options.Items}).");
}

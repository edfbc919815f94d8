namespace RecFramework.Data.Synthetic;

/// <summary>
/// Parameters of the synthetic generator. Together with <see cref="Seed"/> they determine the data and the
/// <see cref="GroundTruthModel"/> completely; they are saved as <c>synthetic.json</c> beside generated files.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>Number of users (ids 1..Users).</summary>
    public int Users { get; init; } = 5_000;

    /// <summary>Number of items (ids 1..Items).</summary>
    public int Items { get; init; } = 2_000;

    /// <summary>Number of latent interest clusters shared by users and items.</summary>
    public int Clusters { get; init; } = 20;

    /// <summary>Total number of events written (impressions included when <see cref="IncludeImpressions"/>).</summary>
    public long Interactions { get; init; } = 200_000;

    /// <summary>Days the timestamps span, starting at <see cref="StartTime"/>.</summary>
    public int Days { get; init; } = 30;

    /// <summary>Unix seconds of the first event (default 2026-01-01T00:00:00Z).</summary>
    public long StartTime { get; init; } = 1_767_225_600;

    /// <summary>Seed of every random choice.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Zipf exponent of item popularity (exposure weight ∝ 1 / rank^s, globally and within a cluster).</summary>
    public double ZipfExponent { get; init; } = 1.0;

    /// <summary>Zipf exponent of user activity (how unevenly events spread over users).</summary>
    public double UserActivityExponent { get; init; } = 0.5;

    /// <summary>Share of exposures drawn from the user's primary cluster.</summary>
    public double PrimaryExposureShare { get; init; } = 0.5;

    /// <summary>Share of exposures drawn from the user's secondary cluster (the rest come from global popularity).</summary>
    public double SecondaryExposureShare { get; init; } = 0.2;

    /// <summary>Click logit of an item outside the user's clusters (before item quality).</summary>
    public double ClickBias { get; init; } = -3.0;

    /// <summary>Logit added when the item is in the user's primary cluster.</summary>
    public double PrimaryAffinity { get; init; } = 3.5;

    /// <summary>Logit added when the item is in the user's secondary cluster.</summary>
    public double SecondaryAffinity { get; init; } = 2.0;

    /// <summary>Scale of the item quality term (standard normal per item) in the click logit.</summary>
    public double QualityScale { get; init; } = 0.5;

    /// <summary>Probability that a click is followed by one deeper engagement (like, collect, share or comment).</summary>
    public double EngagementRate { get; init; } = 0.1;

    /// <summary>Write impression events (every exposure); when false only positive events are produced.</summary>
    public bool IncludeImpressions { get; init; } = true;

    /// <summary>Generate user and item profiles (features correlated with the clusters).</summary>
    public bool Features { get; init; } = true;

    /// <summary>Probability that a profile feature ignores the entity's cluster (is drawn at random).</summary>
    public double FeatureNoise { get; init; } = 0.2;

    /// <summary>Throws <see cref="RecFrameworkException"/> (<see cref="RecError.InvalidArgument"/>) naming the first bad value.</summary>
    public void Validate()
    {
        Require(Users >= 1, nameof(Users), Users);
        Require(Items >= 1, nameof(Items), Items);
        Require(Clusters >= 1 && Clusters <= Items, nameof(Clusters), Clusters, "must be in [1, Items]");
        Require(Interactions >= 0, nameof(Interactions), Interactions);
        Require(Days >= 1, nameof(Days), Days);
        Require(ZipfExponent >= 0 && double.IsFinite(ZipfExponent), nameof(ZipfExponent), ZipfExponent);
        Require(UserActivityExponent >= 0 && double.IsFinite(UserActivityExponent), nameof(UserActivityExponent), UserActivityExponent);
        Require(PrimaryExposureShare >= 0 && SecondaryExposureShare >= 0 && PrimaryExposureShare + SecondaryExposureShare <= 1,
            nameof(PrimaryExposureShare), PrimaryExposureShare, "the two exposure shares must be non-negative and sum to at most 1");
        Require(double.IsFinite(ClickBias) && double.IsFinite(PrimaryAffinity) && double.IsFinite(SecondaryAffinity) && double.IsFinite(QualityScale),
            nameof(ClickBias), ClickBias, "click model parameters must be finite");
        Require(EngagementRate is >= 0 and <= 1, nameof(EngagementRate), EngagementRate);
        Require(FeatureNoise is >= 0 and <= 1, nameof(FeatureNoise), FeatureNoise);
    }

    private static void Require(bool ok, string name, object value, string rule = "out of range")
    {
        if (!ok)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Synthetic option {name} = {value}: {rule}.");
        }
    }
}

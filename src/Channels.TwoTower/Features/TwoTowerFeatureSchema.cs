namespace RecFramework.Channels.TwoTower.Features;

/// <summary>
/// The feature schema of a two-tower model as its builder derives it from a data set: for each tower the id
/// vocabulary (or hash buckets) and every profile field's encoding (vocabulary, bucket boundaries or normalisation).
/// Lets a model trained elsewhere encode features exactly as the channel does.
/// </summary>
/// <param name="User">The user tower's inputs.</param>
/// <param name="Item">The item tower's inputs.</param>
public sealed record TwoTowerFeatureSchema(TowerFeatureSchema User, TowerFeatureSchema Item)
{
    /// <summary>
    /// Derives the schema as <c>TwoTowerBuilder</c> does: user ids are the users of positive events, item ids the
    /// items of positive events (plus every profiled item when <see cref="TwoTowerOptions.IndexColdItems"/> is on);
    /// vocabularies and boundaries are fitted on the profiles of those ids.
    /// </summary>
    /// <param name="positiveUsers">Users with at least one positive event.</param>
    /// <param name="users">User profiles.</param>
    /// <param name="positiveItems">Items with at least one positive event.</param>
    /// <param name="items">Item profiles.</param>
    /// <param name="options">The channel's options (continuous encoding, buckets, hashing, excluded features).</param>
    public static TwoTowerFeatureSchema Derive(IEnumerable<long> positiveUsers, ProfileTable users, IEnumerable<long> positiveItems, ProfileTable items, TwoTowerOptions options)
    {
        ArgumentNullException.ThrowIfNull(positiveUsers);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(positiveItems);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var excluded = options.ExcludedFeatureSet();
        var itemIds = options.IndexColdItems ? positiveItems.Concat(items.All.Select(p => p.Id)) : positiveItems;
        var userEncoder = FeatureEncoder.Fit(positiveUsers.Distinct().ToArray(), users, options, excluded);
        var itemEncoder = FeatureEncoder.Fit(itemIds.Distinct().ToArray(), items, options, excluded);
        return new TwoTowerFeatureSchema(TowerFeatureSchema.From(userEncoder), TowerFeatureSchema.From(itemEncoder));
    }
}

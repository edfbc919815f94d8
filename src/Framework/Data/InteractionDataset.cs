namespace RecFramework.Data;

/// <summary>
/// A dataset snapshot: interaction log plus user and item profiles. Builders and trainers read it; the
/// evaluation split produces a train snapshot of the same shape.
/// </summary>
public sealed class InteractionDataset
{
    /// <summary>Creates a snapshot. <paramref name="interactions"/> is kept as given (no copy).</summary>
    public InteractionDataset(string name, Interaction[] interactions, ProfileTable? users = null, ProfileTable? items = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(interactions);
        Name = name;
        Interactions = interactions;
        Users = users ?? ProfileTable.Empty;
        Items = items ?? ProfileTable.Empty;
    }

    /// <summary>A short name for reports ("ml-100k", "synthetic-…", a file name).</summary>
    public string Name { get; }

    /// <summary>All events, in the order the source gave them.</summary>
    public Interaction[] Interactions { get; }

    /// <summary>User profiles (may be empty).</summary>
    public ProfileTable Users { get; }

    /// <summary>Item profiles (may be empty).</summary>
    public ProfileTable Items { get; }

    /// <summary>Smallest and largest timestamp, or (0, 0) for an empty log.</summary>
    public (long Min, long Max) TimeRange
    {
        get
        {
            if (Interactions.Length == 0)
            {
                return (0, 0);
            }

            long min = long.MaxValue, max = long.MinValue;
            foreach (ref readonly var e in Interactions.AsSpan())
            {
                min = Math.Min(min, e.Timestamp);
                max = Math.Max(max, e.Timestamp);
            }

            return (min, max);
        }
    }

    /// <summary>A new snapshot with the same profiles and other interactions.</summary>
    public InteractionDataset With(string name, Interaction[] interactions) => new(name, interactions, Users, Items);

    /// <summary>
    /// A copy whose timestamps are permuted within each user (seeded): every user keeps the same set of timestamps and
    /// events, but their order no longer means anything. For checking that defaults and tuned options do not depend on
    /// time order (a per-user temporal holdout of the result is a per-user random holdout). Profiles are shared.
    /// </summary>
    /// <param name="seed">Seed of the permutation; the same seed gives the same copy.</param>
    public InteractionDataset WithShuffledTimestamps(int seed)
    {
        var byUser = new Dictionary<long, List<int>>();
        for (var i = 0; i < Interactions.Length; i++)
        {
            if (!byUser.TryGetValue(Interactions[i].UserId, out var list))
            {
                byUser[Interactions[i].UserId] = list = [];
            }

            list.Add(i);
        }

        var shuffled = (Interaction[])Interactions.Clone();
        var random = new Random(seed);
        foreach (var user in byUser.Keys.Order())
        {
            var indices = byUser[user];
            var times = new long[indices.Count];
            for (var j = 0; j < times.Length; j++)
            {
                times[j] = Interactions[indices[j]].Timestamp;
            }

            random.Shuffle(times);
            for (var j = 0; j < times.Length; j++)
            {
                shuffled[indices[j]] = Interactions[indices[j]] with { Timestamp = times[j] };
            }
        }

        return With($"{Name}-shuffled-time-{seed}", shuffled);
    }
}

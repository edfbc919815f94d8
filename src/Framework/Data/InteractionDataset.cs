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
}

using RecFramework.Channels.TwoTower.Features;
using RecFramework.Data;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// A dataset prepared for training: fitted encoders, dense user/item positions, positive examples in time order,
/// and a validation slice carved from the latest positives of each user (never from a test set).
/// </summary>
internal sealed class TrainingSet
{
    /// <summary>Most users whose latest positives are held out for validation.</summary>
    public const int MaxValidationUsers = 5_000;

    /// <summary>The exposures of every user without any (shared, so never written).</summary>
    private static readonly HashSet<int> NoExposures = [];

    private TrainingSet()
    {
    }

    public required FeatureEncoder UserEncoder { get; init; }

    public required FeatureEncoder ItemEncoder { get; init; }

    /// <summary>External user ids by dense position.</summary>
    public required long[] Users { get; init; }

    /// <summary>External item ids by dense position.</summary>
    public required long[] Items { get; init; }

    public required EncodedRows UserRows { get; init; }

    public required EncodedRows ItemRows { get; init; }

    /// <summary>Training examples (user position, item position), oldest first.</summary>
    public required int[] ExampleUsers { get; init; }

    /// <summary>Item positions of the examples.</summary>
    public required int[] ExampleItems { get; init; }

    /// <summary>Validation positives per user position.</summary>
    public required Dictionary<int, List<int>> Validation { get; init; }

    /// <summary>Training item positions per user position, oldest first (excluded when validating).</summary>
    public required int[][] SeenByUser { get; init; }

    /// <summary>Exposed-but-not-clicked item positions per user position (never negatives); read-only.</summary>
    public required HashSet<int>[] ExposedByUser { get; init; }

    /// <summary>Positive counts per item position over the training examples.</summary>
    public required double[] ItemCounts { get; init; }

    /// <summary>Earliest and latest timestamp of the examples.</summary>
    public (long From, long To) Range { get; init; }

    /// <summary>
    /// Prepares <paramref name="data"/>. When <paramref name="userEncoder"/> / <paramref name="itemEncoder"/> are
    /// given (warm start, incremental update) they are reused so slots keep their meaning; otherwise they are fitted.
    /// </summary>
    public static TrainingSet Create(InteractionDataset data, TwoTowerOptions options, FeatureEncoder? userEncoder = null, FeatureEncoder? itemEncoder = null, IReadOnlySet<string>? excludedFeatures = null)
    {
        var excluded = excludedFeatures ?? new HashSet<string>();
        // Positives by (time, user, item); an event log is usually in time order already, then the sort is skipped.
        // (Events equal in all three keys are interchangeable here: only their ids and times are read.)
        var positives = PositivesOf(data);
        if (positives.Length == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Dataset '{data.Name}' has no positive interactions to train on.");
        }

        if (!IsOrdered(positives))
        {
            positives.AsSpan().Sort(new TimeUserItemOrder());
        }

        var users = new IdIndex(positives.Select(e => e.UserId));
        var itemIds = positives.Select(e => e.ItemId);
        if (options.IndexColdItems)
        {
            itemIds = itemIds.Concat(data.Items.All.Select(p => p.Id));
        }

        var items = new IdIndex(itemIds);
        userEncoder ??= FeatureEncoder.Fit(users.Ids, data.Users, options, excluded);
        itemEncoder ??= FeatureEncoder.Fit(items.Ids, data.Items, options, excluded);
        var userRows = userEncoder.Encode(users.Ids, id => data.Users.TryGet(id, out var p) ? p : null);
        var itemRows = itemEncoder.Encode(items.Ids, id => data.Items.TryGet(id, out var p) ? p : null);

        // Each positive's user and item position, looked up once; each user's positives (oldest first) as one group.
        var userOf = new int[positives.Length];
        var itemOf = new int[positives.Length];
        for (var i = 0; i < positives.Length; i++)
        {
            userOf[i] = users.PositionOf(positives[i].UserId);
            itemOf[i] = items.PositionOf(positives[i].ItemId);
        }

        var byUser = KeyGroups.Of(userOf, users.Count);

        // Validation: the latest ValidationFraction of each user's positives (users with at least 5), on at most
        // MaxValidationUsers users spread evenly over the id order (scoring them ranks every item once per epoch).
        var held = new bool[positives.Length];
        var heldByUser = new int[users.Count];
        var validation = new Dictionary<int, List<int>>();
        if (options.ValidationFraction > 0)
        {
            var eligible = 0;
            for (var u = 0; u < users.Count; u++)
            {
                eligible += byUser.Count(u) >= 5 ? 1 : 0;
            }

            var stride = Math.Max(1, (eligible + MaxValidationUsers - 1) / MaxValidationUsers);
            var seenEligible = 0;
            for (var u = 0; u < users.Count; u++)
            {
                var count = byUser.Count(u);
                if (count < 5 || seenEligible++ % stride != 0)
                {
                    continue;
                }

                var take = Math.Max(1, (int)(count * options.ValidationFraction));
                var slice = new List<int>(take);
                var end = byUser.Start[u + 1];
                for (var j = end - take; j < end; j++)
                {
                    held[byUser.Order[j]] = true;
                    slice.Add(itemOf[byUser.Order[j]]);
                }

                heldByUser[u] = take;
                validation[u] = slice;
            }
        }

        var kept = positives.Length - heldByUser.Sum();
        var exampleUsers = new int[kept];
        var exampleItems = new int[kept];
        var seen = new int[users.Count][];
        for (var u = 0; u < users.Count; u++)
        {
            seen[u] = new int[byUser.Count(u) - heldByUser[u]];
        }

        var counts = new double[items.Count];
        var seenCount = new int[users.Count];
        var k = 0;
        for (var i = 0; i < positives.Length; i++)
        {
            if (held[i])
            {
                continue;
            }

            var u = userOf[i];
            var it = itemOf[i];
            exampleUsers[k] = u;
            exampleItems[k++] = it;
            seen[u][seenCount[u]++] = it;
            counts[it]++;
        }

        // Exposed but not clicked: users without such events share one empty set (never written).
        var exposed = new HashSet<int>[users.Count];
        foreach (var e in data.Interactions)
        {
            if (!e.IsPositive)
            {
                var u = users.PositionOf(e.UserId);
                var it = items.PositionOf(e.ItemId);
                if (u >= 0 && it >= 0)
                {
                    (exposed[u] ??= []).Add(it);
                }
            }
        }

        // Clicked items are positives, not "exposed but not clicked".
        for (var u = 0; u < users.Count; u++)
        {
            if (exposed[u] is { } set)
            {
                set.ExceptWith(seen[u]);
            }
            else
            {
                exposed[u] = NoExposures;
            }
        }

        // The user tower's recent-history input for serving-time rows (validation, exported user vectors).
        if (options.HistoryLength > 0)
        {
            userRows.SetHistory(options.HistoryLength, HistorySlots.ForUsers(seen, itemRows.Ids, options.HistoryLength));
        }

        return new TrainingSet
        {
            UserEncoder = userEncoder,
            ItemEncoder = itemEncoder,
            Users = users.Ids,
            Items = items.Ids,
            UserRows = userRows,
            ItemRows = itemRows,
            ExampleUsers = exampleUsers,
            ExampleItems = exampleItems,
            Validation = validation,
            SeenByUser = seen,
            ExposedByUser = exposed,
            ItemCounts = counts,
            Range = (positives[0].Timestamp, positives[^1].Timestamp),
        };
    }

    /// <summary>The positive events of <paramref name="data"/> in their order, counted first (one exact allocation).</summary>
    public static Interaction[] PositivesOf(InteractionDataset data)
    {
        var events = data.Interactions.AsSpan();
        var count = 0;
        foreach (ref readonly var e in events)
        {
            count += e.IsPositive ? 1 : 0;
        }

        var positives = new Interaction[count];
        var n = 0;
        foreach (ref readonly var e in events)
        {
            if (e.IsPositive)
            {
                positives[n++] = e;
            }
        }

        return positives;
    }

    /// <summary>True when <paramref name="events"/> are already in (time, user, item) order.</summary>
    private static bool IsOrdered(Interaction[] events)
    {
        var order = new TimeUserItemOrder();
        for (var i = 1; i < events.Length; i++)
        {
            if (order.Compare(events[i - 1], events[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Time, then user, then item (a struct comparer: the sort specialises on it).</summary>
    private readonly struct TimeUserItemOrder : IComparer<Interaction>
    {
        public int Compare(Interaction x, Interaction y)
        {
            var c = x.Timestamp.CompareTo(y.Timestamp);
            if (c != 0)
            {
                return c;
            }

            c = x.UserId.CompareTo(y.UserId);
            return c != 0 ? c : x.ItemId.CompareTo(y.ItemId);
        }
    }
}

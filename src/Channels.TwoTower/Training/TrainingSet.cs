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

    /// <summary>Training item positions per user position (excluded when validating).</summary>
    public required List<int>[] SeenByUser { get; init; }

    /// <summary>Exposed-but-not-clicked item positions per user position (never negatives).</summary>
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
        var positives = data.Interactions.Where(e => e.IsPositive).OrderBy(e => e.Timestamp).ThenBy(e => e.UserId).ThenBy(e => e.ItemId).ToArray();
        if (positives.Length == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Dataset '{data.Name}' has no positive interactions to train on.");
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

        // Validation: the latest ValidationFraction of each user's positives (users with at least 5), on at most
        // MaxValidationUsers users spread evenly over the id order (scoring them ranks every item once per epoch).
        var byUser = new List<int>[users.Count];
        for (var i = 0; i < users.Count; i++)
        {
            byUser[i] = [];
        }

        for (var i = 0; i < positives.Length; i++)
        {
            byUser[users.PositionOf(positives[i].UserId)].Add(i);
        }

        var held = new bool[positives.Length];
        var validation = new Dictionary<int, List<int>>();
        if (options.ValidationFraction > 0)
        {
            var eligible = byUser.Count(list => list.Count >= 5);
            var stride = Math.Max(1, (eligible + MaxValidationUsers - 1) / MaxValidationUsers);
            var seenEligible = 0;
            for (var u = 0; u < users.Count; u++)
            {
                var list = byUser[u];
                if (list.Count < 5 || seenEligible++ % stride != 0)
                {
                    continue;
                }

                var take = Math.Max(1, (int)(list.Count * options.ValidationFraction));
                var slice = new List<int>();
                for (var j = list.Count - take; j < list.Count; j++)
                {
                    held[list[j]] = true;
                    slice.Add(items.PositionOf(positives[list[j]].ItemId));
                }

                validation[u] = slice;
            }
        }

        var exampleUsers = new List<int>(positives.Length);
        var exampleItems = new List<int>(positives.Length);
        var seen = new List<int>[users.Count];
        for (var u = 0; u < users.Count; u++)
        {
            seen[u] = [];
        }

        var counts = new double[items.Count];
        for (var i = 0; i < positives.Length; i++)
        {
            if (held[i])
            {
                continue;
            }

            var u = users.PositionOf(positives[i].UserId);
            var it = items.PositionOf(positives[i].ItemId);
            exampleUsers.Add(u);
            exampleItems.Add(it);
            seen[u].Add(it);
            counts[it]++;
        }

        var exposed = new HashSet<int>[users.Count];
        for (var u = 0; u < users.Count; u++)
        {
            exposed[u] = [];
        }

        foreach (var e in data.Interactions)
        {
            if (!e.IsPositive)
            {
                var u = users.PositionOf(e.UserId);
                var it = items.PositionOf(e.ItemId);
                if (u >= 0 && it >= 0)
                {
                    exposed[u].Add(it);
                }
            }
        }

        // Clicked items are positives, not "exposed but not clicked".
        for (var u = 0; u < users.Count; u++)
        {
            exposed[u].ExceptWith(seen[u]);
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
            ExampleUsers = exampleUsers.ToArray(),
            ExampleItems = exampleItems.ToArray(),
            Validation = validation,
            SeenByUser = seen,
            ExposedByUser = exposed,
            ItemCounts = counts,
            Range = (positives[0].Timestamp, positives[^1].Timestamp),
        };
    }
}

using RecFramework.Data;

namespace RecFramework.Evaluation;

/// <summary>
/// The "per-user temporal holdout" split. Per user, positive events are sorted by (timestamp, original position); the
/// last <c>max(1, floor(n × testFraction))</c> of them are held out for test; users with fewer than two positives stay
/// entirely in train. Impressions always stay in train and never become test items.
/// </summary>
/// <remarks>
/// Evaluation ranks over the whole train catalogue (every item with at least one train event, impressions included),
/// so held-out items unknown to train are dropped from the test set, and so are items the user already has a positive
/// train event for, since the evaluator excludes those from the ranking. Impressions do not count as having the item:
/// in logs with impressions every click follows an impression of the same item, which must not hide it from test. A user whose held-out items are all dropped is not a test user (its
/// held-out events still leave the train part).
/// </remarks>
public static class TemporalSplit
{
    /// <summary>The default held-out share (20 %).</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>
    /// The split for choosing options: <paramref name="data"/> is split, then its train part is split again the same
    /// way; the result trains on the inner train part and scores the inner held-out items, so the outer test part is
    /// never seen. Report test figures with <see cref="Split"/> only for the options chosen here.
    /// </summary>
    public static DatasetSplit SplitForValidation(InteractionDataset data, double testFraction = DefaultTestFraction)
    {
        var outer = Split(data, testFraction);
        return Split(outer.Train, testFraction) with { Validation = true };
    }

    /// <summary>Splits <paramref name="data"/>.</summary>
    /// <param name="data">The full snapshot.</param>
    /// <param name="testFraction">Share of each user's positives held out, in (0, 1).</param>
    public static DatasetSplit Split(InteractionDataset data, double testFraction = DefaultTestFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in (0, 1).");
        }

        var events = data.Interactions;
        var positives = new List<int>(events.Length);
        for (var i = 0; i < events.Length; i++)
        {
            if (events[i].IsPositive)
            {
                positives.Add(i);
            }
        }

        // Order positive event indices by (user, timestamp, original index): one sort, then per-user runs.
        var order = positives.ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = events[a].UserId.CompareTo(events[b].UserId);
            if (c != 0)
            {
                return c;
            }

            c = events[a].Timestamp.CompareTo(events[b].Timestamp);
            return c != 0 ? c : a.CompareTo(b);
        });

        var heldOut = new bool[events.Length];
        var heldOutRuns = new List<(long User, int Start, int Count)>();
        for (var start = 0; start < order.Length;)
        {
            var user = events[order[start]].UserId;
            var end = start;
            while (end < order.Length && events[order[end]].UserId == user)
            {
                end++;
            }

            var n = end - start;
            if (n >= 2)
            {
                var testCount = Math.Max(1, (int)Math.Floor(n * testFraction));
                for (var j = end - testCount; j < end; j++)
                {
                    heldOut[order[j]] = true;
                }

                heldOutRuns.Add((user, end - testCount, testCount));
            }

            start = end;
        }

        var train = new List<Interaction>(events.Length);
        var trainItems = new HashSet<long>();
        var userTrainItems = new Dictionary<long, HashSet<long>>();
        for (var i = 0; i < events.Length; i++)
        {
            if (heldOut[i])
            {
                continue;
            }

            var e = events[i];
            train.Add(e);
            trainItems.Add(e.ItemId);
            if (!e.IsPositive)
            {
                // Impressions neither define the user's train items nor hide later clicks from the test set.
                continue;
            }

            if (!userTrainItems.TryGetValue(e.UserId, out var set))
            {
                userTrainItems[e.UserId] = set = [];
            }

            set.Add(e.ItemId);
        }

        var test = new Dictionary<long, long[]>();
        foreach (var (user, start, count) in heldOutRuns)
        {
            var seen = userTrainItems.GetValueOrDefault(user);
            var items = new List<long>(count);
            for (var j = start; j < start + count; j++)
            {
                var item = events[order[j]].ItemId;
                if (trainItems.Contains(item) && (seen is null || !seen.Contains(item)) && !items.Contains(item))
                {
                    items.Add(item);
                }
            }

            if (items.Count > 0)
            {
                test[user] = items.ToArray();
            }
        }

        return new DatasetSplit
        {
            Train = data.With(data.Name, train.ToArray()),
            Test = test,
            TrainItemCount = trainItems.Count,
            TestFraction = testFraction,
        };
    }
}

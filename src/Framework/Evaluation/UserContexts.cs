namespace RecFramework.Evaluation;

/// <summary>What the evaluator sends for one test user, prepared once from the train part.</summary>
internal sealed record UserContext(
    long UserId,
    IReadOnlyList<Interaction> History,
    IReadOnlySet<long> TrainItems,
    IReadOnlySet<long> Relevant,
    Profile? Profile,
    long LastTrainTimestamp);

/// <summary>Builds <see cref="UserContext"/>s for the test users of a split, ordered by user id.</summary>
internal static class UserContexts
{
    public static UserContext[] Build(DatasetSplit split, int historyLength)
    {
        var events = split.Train.Interactions;
        var byUser = new Dictionary<long, List<int>>(split.Test.Count);
        foreach (var user in split.Test.Keys)
        {
            byUser[user] = [];
        }

        for (var i = 0; i < events.Length; i++)
        {
            if (byUser.TryGetValue(events[i].UserId, out var list))
            {
                list.Add(i);
            }
        }

        var ids = split.Test.Keys.ToArray();
        Array.Sort(ids);
        var contexts = new UserContext[ids.Length];
        for (var u = 0; u < ids.Length; u++)
        {
            var indices = byUser[ids[u]];
            indices.Sort((a, b) =>
            {
                var c = events[a].Timestamp.CompareTo(events[b].Timestamp);
                return c != 0 ? c : a.CompareTo(b);
            });
            var trainItems = new HashSet<long>();
            var positives = new List<Interaction>();
            long last = 0;
            foreach (var i in indices)
            {
                last = Math.Max(last, events[i].Timestamp);
                if (events[i].IsPositive)
                {
                    // Only positives count as "the user's train items": an impression of an item the user clicks
                    // later must not hide that click from the test set or from the candidates.
                    trainItems.Add(events[i].ItemId);
                    positives.Add(events[i]);
                }
            }

            var history = positives.Count <= historyLength ? positives : positives.GetRange(positives.Count - historyLength, historyLength);
            split.Train.Users.TryGet(ids[u], out var profile);
            contexts[u] = new UserContext(ids[u], history, trainItems, new HashSet<long>(split.Test[ids[u]]), profile, last);
        }

        return contexts;
    }
}

using RecFramework.Data;
using RecFramework.Evaluation;
using RecFramework.Experiments;
using RecFramework.Experiments.Analysis;
using RecFramework.Pipeline;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// Replays the held-out period of a temporal split: every test user sends one request through the router and the
/// pipeline (exactly what <c>/recommend</c> does), the response is logged as exposures with the assignment, and an
/// exposed item among the user's held-out items counts as a click. The request's "day" is the period (one of up to
/// <see cref="Periods"/> equal slices of the held-out time span) of the user's first held-out event.
/// </summary>
public static class ReplaySource
{
    /// <summary>Number of equal time slices the held-out span is cut into for the daily figures.</summary>
    public const int Periods = 10;

    /// <summary>Runs the replay.</summary>
    public static async Task<ExperimentLog> RunAsync(ComparisonEnvironment environment, InteractionDataset data, DatasetSplit split,
        ComparisonSettings settings, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        var users = SelectUsers(split.Test.Keys, settings.MaxUsers, settings.Seed);
        var firstHeldOut = FirstHeldOutTimes(data, split);
        long from = firstHeldOut.Count > 0 ? firstHeldOut.Values.Min() : 0, to = firstHeldOut.Count > 0 ? firstHeldOut.Values.Max() : 0;
        var recorder = new TrafficRecorder();
        var recommender = environment.Recommender;
        var done = 0;
        foreach (var user in users)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var heldOut = new HashSet<long>(split.Test[user]);
            var served = await recommender.RecommendAsync(user, settings.K, $"replay-{user}", cancellationToken: cancellationToken).ConfigureAwait(false);
            var day = to > from ? (int)Math.Min(Periods - 1, (firstHeldOut.GetValueOrDefault(user, from) - from) * Periods / (to - from + 1)) : 0;
            recorder.Record(served, day, (_, item) => heldOut.Contains(item));
            progress?.Report(++done);
        }

        return recorder.ToLog(split.Train.Interactions, split.TrainItemCount, users.ToDictionary(u => u, u => split.Test[u].Length));
    }

    /// <summary>All users sorted, or a seeded sample of <paramref name="max"/> of them (sorted).</summary>
    public static List<long> SelectUsers(IEnumerable<long> users, int? max, int seed)
    {
        var all = users.Order().ToList();
        if (max is not { } m || m >= all.Count)
        {
            return all;
        }

        var random = new Random(seed);
        return all.OrderBy(_ => random.Next()).Take(m).Order().ToList();
    }

    private static Dictionary<long, long> FirstHeldOutTimes(InteractionDataset data, DatasetSplit split)
    {
        var first = new Dictionary<long, long>();
        foreach (var e in data.Interactions)
        {
            if (e.IsPositive && split.Test.TryGetValue(e.UserId, out var items) && Array.IndexOf(items, e.ItemId) >= 0
                && (!first.TryGetValue(e.UserId, out var t) || e.Timestamp < t))
            {
                first[e.UserId] = e.Timestamp;
            }
        }

        return first;
    }
}

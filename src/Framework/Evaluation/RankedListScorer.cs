using System.Diagnostics;

namespace RecFramework.Evaluation;

/// <summary>
/// Scores ranked lists against the held-out items: asks <c>rank</c> for each user's list (in parallel), drops the items
/// the user trained on and repeats, and averages Recall, NDCG and HitRate per cut-off over the users (summed in user
/// order, so scheduling does not change the result) with the catalogue coverage of the top K.
/// </summary>
internal static class RankedListScorer
{
    public static async Task<ChannelEvaluation> ScoreAsync(
        string name, UserContext[] users, int[] ks, int trainItemCount, EvaluationOptions options,
        Func<UserContext, CancellationToken, ValueTask<IEnumerable<long>>> rank, CancellationToken cancellationToken)
    {
        var maxK = ks[^1];
        var perUser = new double[users.Length, ks.Length * 3];
        var recommended = new HashSet<long>[ks.Length];
        for (var i = 0; i < ks.Length; i++)
        {
            recommended[i] = [];
        }

        var done = 0;
        var empty = 0;
        long excludedReturned = 0;
        var scoring = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Length),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            async (u, ct) =>
            {
                var user = users[u];
                var candidates = await rank(user, ct).ConfigureAwait(false);
                var ranked = new List<long>(maxK);
                var seen = new HashSet<long>();
                var dropped = 0;
                foreach (var item in candidates)
                {
                    if (ranked.Count == maxK)
                    {
                        break;
                    }

                    if (user.TrainItems.Contains(item))
                    {
                        dropped++;
                    }
                    else if (seen.Add(item))
                    {
                        ranked.Add(item);
                    }
                }

                for (var i = 0; i < ks.Length; i++)
                {
                    perUser[u, i * 3] = RankingMetrics.Recall(ranked, user.Relevant, ks[i]);
                    perUser[u, (i * 3) + 1] = RankingMetrics.Ndcg(ranked, user.Relevant, ks[i]);
                    perUser[u, (i * 3) + 2] = RankingMetrics.HitRate(ranked, user.Relevant, ks[i]);
                    lock (recommended[i])
                    {
                        for (var r = 0; r < Math.Min(ks[i], ranked.Count); r++)
                        {
                            recommended[i].Add(ranked[r]);
                        }
                    }
                }

                if (ranked.Count == 0)
                {
                    Interlocked.Increment(ref empty);
                }

                Interlocked.Add(ref excludedReturned, dropped);
                var now = Interlocked.Increment(ref done);
                if (options.Progress is not null && (now % 256 == 0 || now == users.Length))
                {
                    options.Progress.Report(new EvaluationProgress(name, now, users.Length));
                }
            }).ConfigureAwait(false);
        var recallSeconds = scoring.Elapsed.TotalSeconds;

        var metrics = new MetricsAtK[ks.Length];
        for (var i = 0; i < ks.Length; i++)
        {
            double r = 0, n = 0, h = 0;
            for (var u = 0; u < users.Length; u++)
            {
                r += perUser[u, i * 3];
                n += perUser[u, (i * 3) + 1];
                h += perUser[u, (i * 3) + 2];
            }

            var count = Math.Max(1, users.Length);
            metrics[i] = new MetricsAtK(ks[i], r / count, n / count, h / count, trainItemCount == 0 ? 0 : (double)recommended[i].Count / trainItemCount);
        }

        return new ChannelEvaluation
        {
            Channel = name,
            Metrics = metrics,
            RecallSeconds = recallSeconds,
            UsersEvaluated = users.Length,
            EmptyResults = empty,
            ExcludedItemsReturned = excludedReturned,
        };
    }

    /// <summary>The cut-offs ascending and distinct.</summary>
    /// <exception cref="RecFrameworkException">None, or one is not positive.</exception>
    public static int[] CheckedKs(IReadOnlyList<int> ks)
    {
        var sorted = ks.Distinct().Order().ToArray();
        return sorted.Length == 0 || sorted[0] <= 0
            ? throw new RecFrameworkException(RecError.InvalidArgument, $"Cut-offs must be positive, got [{string.Join(",", ks)}].")
            : sorted;
    }
}

using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Channels;

namespace RecFramework.Evaluation;

/// <summary>
/// Builds a channel on the train part of a <see cref="DatasetSplit"/>, activates the artifact, and scores every test
/// user by calling the channel directly (no pipeline, no fallback): full ranking over the train catalogue, the items
/// of the user's positive train events excluded (impressions alone do not exclude an item).
/// </summary>
public static class ChannelEvaluator
{
    /// <summary>Evaluates <paramref name="channel"/>.</summary>
    /// <param name="services">A container with the framework and the channel registered (keyed builder and channel).</param>
    /// <param name="channel">The channel name.</param>
    /// <param name="split">Train snapshot and test users.</param>
    /// <param name="options">Cut-offs, history length, parallelism, seed, progress.</param>
    /// <param name="cancellationToken">Cancels the build and the scoring.</param>
    /// <exception cref="RecFrameworkException">The channel (or the builder of an artifact channel) is not registered.</exception>
    public static async Task<ChannelEvaluation> EvaluateAsync(IServiceProvider services, string channel, DatasetSplit split, EvaluationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        var ks = options.Ks.Distinct().Order().ToArray();
        if (ks.Length == 0 || ks[0] <= 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Cut-offs must be positive, got [{string.Join(",", options.Ks)}].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Parallelism);
        ArgumentOutOfRangeException.ThrowIfNegative(options.HistoryLength);

        var recall = services.GetKeyedService<IRecallChannel>(channel)
            ?? throw new RecFrameworkException(RecError.UnknownChannel, $"Channel '{channel}' is not registered.");
        var lifecycle = services.GetRequiredService<ChannelLifecycle>();
        double buildSeconds = 0;
        string? version = null;
        if (lifecycle.Builder(channel) is not null)
        {
            var watch = Stopwatch.StartNew();
            var handle = await lifecycle.BuildAndActivateAsync(channel, split.Train, new ChannelBuildSettings
            {
                Seed = options.Seed,
                Progress = options.BuildProgress,
                Parameters = options.BuildParameters,
            }, cancellationToken).ConfigureAwait(false);
            buildSeconds = watch.Elapsed.TotalSeconds;
            version = handle.Manifest.Version;
        }
        else if (recall is IArtifactChannel)
        {
            throw new RecFrameworkException(RecError.UnknownChannel, $"Channel '{channel}' serves artifacts but has no registered builder.");
        }

        var users = UserContexts.Build(split, options.HistoryLength);
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
                var request = new RecallRequest
                {
                    UserId = user.UserId,
                    K = maxK,
                    History = user.History,
                    Exclude = user.TrainItems,
                    Profile = user.Profile,
                    Time = DateTimeOffset.FromUnixTimeSeconds(user.LastTrainTimestamp + 1),
                };
                RecallResult result;
                try
                {
                    result = await recall.RecallAsync(request, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new RecFrameworkException(RecError.InvalidArgument, $"Channel '{channel}' failed for user {user.UserId}: {ex.Message}", ex);
                }

                var ranked = new List<long>(maxK);
                var seen = new HashSet<long>();
                var dropped = 0;
                foreach (var item in result.Items)
                {
                    if (ranked.Count == maxK)
                    {
                        break;
                    }

                    if (user.TrainItems.Contains(item.ItemId))
                    {
                        dropped++;
                    }
                    else if (seen.Add(item.ItemId))
                    {
                        ranked.Add(item.ItemId);
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
                    options.Progress.Report(new EvaluationProgress(channel, now, users.Length));
                }
            }).ConfigureAwait(false);
        var recallSeconds = scoring.Elapsed.TotalSeconds;

        var metrics = new MetricsAtK[ks.Length];
        for (var i = 0; i < ks.Length; i++)
        {
            // Summed in user order so the result does not depend on scheduling.
            double r = 0, n = 0, h = 0;
            for (var u = 0; u < users.Length; u++)
            {
                r += perUser[u, i * 3];
                n += perUser[u, (i * 3) + 1];
                h += perUser[u, (i * 3) + 2];
            }

            var count = Math.Max(1, users.Length);
            metrics[i] = new MetricsAtK(ks[i], r / count, n / count, h / count,
                split.TrainItemCount == 0 ? 0 : (double)recommended[i].Count / split.TrainItemCount);
        }

        return new ChannelEvaluation
        {
            Channel = channel,
            Metrics = metrics,
            BuildSeconds = buildSeconds,
            RecallSeconds = recallSeconds,
            UsersEvaluated = users.Length,
            EmptyResults = empty,
            ExcludedItemsReturned = excludedReturned,
            ArtifactVersion = version,
        };
    }
}

using Microsoft.Extensions.DependencyInjection;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Experiments;
using RecFramework.Experiments.Analysis;
using RecFramework.Pipeline;
using RecFramework.Stores;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// Simulates several days of traffic on synthetic data: each day every taking-part user visits with
/// <see cref="ComparisonSettings.VisitRate"/>, gets a response from the router and the pipeline, and clicks each
/// exposed item with probability truth(user, item) × bias(position), bias(p) = 1 / log2(p + 2). Clicks are appended
/// to the user's online history, so later days see the feedback. A user who clicked on their last visit comes back
/// the next day with probability min(1, VisitRate × <see cref="ReturnBoost"/>), so retention and active days follow the
/// quality of what was served. Each click is followed, with q = truth(user, item) and a second seeded generator (the
/// clicks stay those of the same seed without typed events), by a <c>like</c> with probability 0.1 + 0.5 q, a
/// <c>share</c> with probability 0.01 + 0.1 q, a <c>dwell</c> of −ln(U) × (20 + 100 q) seconds and a <c>complete</c>
/// event with the fraction min(1, dwell / 120). Deterministic for a seed.
/// </summary>
public static class SimulationSource
{
    /// <summary>Position bias of a 0-based position (1 at the top).</summary>
    public static double PositionBias(int position) => 1 / Math.Log2(position + 2);

    /// <summary>Factor on the visit probability of a user who clicked on their last visit.</summary>
    public const double ReturnBoost = 1.3;

    /// <summary>Runs the simulation.</summary>
    public static async Task<ExperimentLog> RunAsync(ComparisonEnvironment environment, InteractionDataset data, GroundTruthModel truth,
        ComparisonSettings settings, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(settings);
        var users = ReplaySource.SelectUsers(data.Users.All.Select(p => p.Id).Concat(data.Interactions.Select(e => e.UserId)).Distinct(), settings.MaxUsers, settings.Seed);
        var start = data.Interactions.Length > 0 ? data.Interactions.Max(e => e.Timestamp) + 1 : 0;
        var random = new Random(settings.Seed);
        var engagement = new Random(unchecked(settings.Seed * 31 + 17));
        var clickedLastVisit = new HashSet<long>();
        var recorder = new TrafficRecorder();
        var recommender = environment.Recommender;
        var history = environment.Services.GetRequiredService<IUserHistoryStore>();
        var done = 0;
        for (var day = 0; day < settings.Days; day++)
        {
            foreach (var user in users)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(++done);
                var visit = clickedLastVisit.Contains(user) ? Math.Min(1, settings.VisitRate * ReturnBoost) : settings.VisitRate;
                if (random.NextDouble() >= visit)
                {
                    continue;
                }

                var time = start + day * 86_400L + random.Next(86_400);
                var served = await recommender.RecommendAsync(user, settings.K, $"sim-{day}-{user}", DateTimeOffset.FromUnixTimeSeconds(time), cancellationToken).ConfigureAwait(false);
                var clicks = new List<long>();
                recorder.Record(served, day, (position, item) =>
                {
                    var hit = random.NextDouble() < truth.ClickProbability(user, item) * PositionBias(position);
                    if (hit)
                    {
                        clicks.Add(item);
                    }

                    return hit;
                });
                if (clicks.Count > 0)
                {
                    clickedLastVisit.Add(user);
                }
                else
                {
                    clickedLastVisit.Remove(user);
                }

                foreach (var item in clicks)
                {
                    Engage(recorder, engagement, served.RequestId, item, truth.ClickProbability(user, item));
                    await history.AppendAsync(new Interaction(user, item, InteractionType.Click, time), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return recorder.ToLog(data.Interactions, data.Interactions.Select(e => e.ItemId).Distinct().Count());
    }

    /// <summary>The typed events that follow a click on an item of truth probability <paramref name="q"/>.</summary>
    private static void Engage(TrafficRecorder recorder, Random random, string requestId, long item, double q)
    {
        if (random.NextDouble() < 0.1 + 0.5 * q)
        {
            recorder.Engage(requestId, item, InteractionType.Like, null);
        }

        if (random.NextDouble() < 0.01 + 0.1 * q)
        {
            recorder.Engage(requestId, item, InteractionType.Share, null);
        }

        var dwell = Math.Round(-Math.Log(1 - random.NextDouble()) * (20 + 100 * q), 1);
        recorder.Engage(requestId, item, InteractionType.Dwell, dwell);
        recorder.Engage(requestId, item, InteractionType.Complete, Math.Min(1, Math.Round(dwell / 120, 3)));
    }
}

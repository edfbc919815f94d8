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
/// to the user's online history, so later days see the feedback. Deterministic for a seed.
/// </summary>
public static class SimulationSource
{
    /// <summary>Position bias of a 0-based position (1 at the top).</summary>
    public static double PositionBias(int position) => 1 / Math.Log2(position + 2);

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
                if (random.NextDouble() >= settings.VisitRate)
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
                foreach (var item in clicks)
                {
                    await history.AppendAsync(new Interaction(user, item, InteractionType.Click, time), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return recorder.ToLog(data.Interactions, data.Interactions.Select(e => e.ItemId).Distinct().Count());
    }
}

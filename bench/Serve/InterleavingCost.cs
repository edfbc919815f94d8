using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Experiments;

namespace RecFramework.Bench.Serve;

/// <summary>
/// What an interleaved request costs in the served Host: after the load phases, the router is reloaded with an interleaving
/// experiment on half of a new layer's buckets (variant <c>a</c>: the layer default; <c>b</c>: itemcf weighted twice,
/// so both run every channel), and one caller alternates users of the experiment and other users through the service's
/// <see cref="ExperimentRecommender"/> (k = 50). An interleaved request runs both pipelines at once and merges them.
/// </summary>
internal static class InterleavingCost
{
    public static async Task MeasureAsync(IServiceProvider services, int users, bool quick, Dictionary<string, double> figures, CancellationToken cancellationToken)
    {
        var router = services.GetRequiredService<IExperimentRouter>();
        var options = Clone(services.GetRequiredService<IOptionsMonitor<ExperimentsOptions>>().CurrentValue);
        options.Layers.Add(new LayerOptions
        {
            Name = "interleave-bench",
            Salt = "interleave-bench",
            Experiments =
            [
                new ExperimentOptions
                {
                    Name = "interleave-cost", Kind = ExperimentKind.Interleaving, Buckets = [$"0-{(options.BucketCount / 2) - 1}"],
                    Variants = [new VariantOptions { Name = "a" }, new VariantOptions { Name = "b", Parameters = new() { ["itemcf.weight"] = "2" } }],
                },
            ],
        });
        if (!router.TryReload(options, out var failures))
        {
            throw new InvalidOperationException("The interleaving configuration was rejected: " + string.Join("; ", failures));
        }

        var recommender = services.GetRequiredService<ExperimentRecommender>();
        var each = quick ? 300 : 2_000;
        var normal = new List<double>(each);
        var interleaved = new List<double>(each);
        var user = 1L;
        for (var i = 0; i < 50; i++)
        {
            await recommender.RecommendAsync(1 + (i % users), k: 50, cancellationToken: cancellationToken); // warm-up
        }

        while (normal.Count < each || interleaved.Count < each)
        {
            var assignment = router.Assign(user);
            var target = assignment.Interleaved is null ? normal : interleaved;
            if (target.Count < each)
            {
                var started = Stopwatch.GetTimestamp();
                await recommender.RecommendAsync(assignment, k: 50, cancellationToken: cancellationToken);
                target.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            user = (user % users) + 1;
        }

        figures["recommend_p50_ms_normal"] = Percentile(normal, 0.5);
        figures["recommend_p99_ms_normal"] = Percentile(normal, 0.99);
        figures["recommend_p50_ms_interleaved"] = Percentile(interleaved, 0.5);
        figures["recommend_p99_ms_interleaved"] = Percentile(interleaved, 0.99);
        Console.WriteLine($"interleaving cost ({each} requests each, one caller): p99 {figures["recommend_p99_ms_normal"]:F1} ms normal, {figures["recommend_p99_ms_interleaved"]:F1} ms interleaved");
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }

    private static ExperimentsOptions Clone(ExperimentsOptions source) => new()
    {
        BucketCount = source.BucketCount,
        Holdout = source.Holdout,
        Layers = [.. source.Layers],
    };
}

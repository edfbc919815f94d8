using System.Diagnostics;
using MathNet.Numerics.Distributions;
using RecFramework.Data;
using RecFramework.Experiments.Interleaving;

namespace RecFramework.Bench;

/// <summary>
/// <c>interleaving</c>: how many users an interleaving experiment needs against an A/B test on CTR for the same planted
/// difference between two channel mixes, on synthetic data (<see cref="SyntheticCf"/>) and on replayed ML-100K (held-out
/// events as the truth, <see cref="InterleavingWorld"/>). Every user is simulated under A, under B and interleaved
/// (team draft, <see cref="TeamDraft"/>), with <see cref="Requests"/> requests of k = 10 and a position-based click model
/// (a truth item at 0-based position p is clicked with probability 0.5 / (1 + p / 3), any other with 0.005).
/// Users needed for 80 % power at two-sided α = 0.05 come in closed form from the measured per-user variances:
/// A/B on per-user CTR, two independent arms: 2 · (z₀.₉₇₅ + z₀.₈)² · (σ²_A + σ²_B) / Δ²; interleaving on the per-user
/// preference d ∈ {−1, 0, 1} (the sign test's normal form): (z₀.₉₇₅ + z₀.₈)² · σ²_d / d̄². Sign agreement: over the
/// planted pairs, how often the sign of d̄ matches the sign of the A/B CTR difference (both measured on all users).
/// The headline figures are the synthetic world's main pair (itemcf vs itemcf 70 % + popular 30 %).
/// </summary>
internal sealed class InterleavingBenchmark : IBenchmark
{
    private const int K = 10;

    private static readonly (string Channel, double Weight)[] Main = [("itemcf", 1)];

    private static readonly (string Channel, double Weight)[] MainAlternative = [("itemcf", 0.7), ("popular", 0.3)];

    /// <summary>Planted pairs for sign agreement (the main pair first).</summary>
    private static readonly ((string, double)[] A, (string, double)[] B)[] Pairs =
    [
        (Main, MainAlternative),
        ([("popular", 1)], [("random", 1)]),
        ([("itemcf", 1)], [("popular", 1)]),
        ([("itemcf", 0.5), ("popular", 0.5)], [("itemcf", 0.9), ("random", 0.1)]),
        ([("popular", 0.8), ("random", 0.2)], [("itemcf", 0.3), ("popular", 0.7)]),
        ([("itemcf", 0.9), ("popular", 0.1)], [("itemcf", 0.6), ("random", 0.4)]),
        ([("popular", 1)], [("itemcf", 0.5), ("random", 0.5)]),
        ([("itemcf", 0.8), ("random", 0.2)], [("itemcf", 0.8), ("popular", 0.2)]),
    ];

    public string Name => "interleaving";

    public string Description => "users needed by interleaving vs an A/B test on CTR for a planted channel-mix difference (synthetic + ML-100K), sign agreement";

    private static int Requests(bool quick) => quick ? 4 : 8;

    public Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var quick = context.Quick;
        var worlds = new List<InterleavingWorld>
        {
            InterleavingWorld.Build("synthetic", quick ? SyntheticCf.Generate(1_500, 2_000, 45_000, seed: 7) : SyntheticCf.Generate(6_000, 3_000, 180_000, seed: 7), seed: 7),
        };
        if (EvalBenchmark.FindMovieLens() is { } movieLens)
        {
            worlds.Add(InterleavingWorld.Build("ml100k", MovieLens100K.Load(movieLens).Interactions, seed: 7));
        }
        else
        {
            Console.WriteLine("interleaving: ../shared/datasets/ml-100k (u.data) not found next to the repository: the ML-100K part is skipped.");
        }

        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var pairs = quick ? Pairs[..4] : Pairs;
        var agree = 0;
        var compared = 0;
        foreach (var world in worlds)
        {
            for (var p = 0; p < pairs.Length; p++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = Simulate(world, pairs[p].A, pairs[p].B, Requests(quick), seed: 1_000 + p);
                if (result.CtrDifference != 0 && result.MeanPreference != 0)
                {
                    compared++;
                    agree += Math.Sign(result.CtrDifference) == Math.Sign(result.MeanPreference) ? 1 : 0;
                }

                if (p == 0)
                {
                    var prefix = world.Name + "_";
                    figures[prefix + "users"] = world.Users;
                    figures[prefix + "ctr_a"] = result.CtrA;
                    figures[prefix + "ctr_b"] = result.CtrB;
                    figures[prefix + "mean_preference"] = result.MeanPreference;
                    figures[prefix + "users_needed_ab"] = result.UsersAb;
                    figures[prefix + "users_needed_interleaving"] = result.UsersInterleaving;
                    figures[prefix + "users_ratio_ab_over_interleaving"] = result.UsersAb / result.UsersInterleaving;
                    Console.WriteLine($"{world.Name}: {world.Users} users, CTR {result.CtrA:F4} vs {result.CtrB:F4}, preference {result.MeanPreference:+0.000;-0.000}");
                }
            }
        }

        figures["users_needed_ab"] = figures["synthetic_users_needed_ab"];
        figures["users_needed_interleaving"] = figures["synthetic_users_needed_interleaving"];
        figures["users_ratio_ab_over_interleaving"] = figures["synthetic_users_ratio_ab_over_interleaving"];
        figures["sign_agreement"] = compared == 0 ? double.NaN : agree / (double)compared;
        figures["planted_pairs_compared"] = compared;
        figures["seconds"] = watch.Elapsed.TotalSeconds;
        return Task.FromResult<IReadOnlyDictionary<string, double>>(figures);
    }

    /// <summary>Simulates every user of <paramref name="world"/> under A, under B and interleaved.</summary>
    internal static PairResult Simulate(InterleavingWorld world, (string, double)[] a, (string, double)[] b, int requests, int seed)
    {
        var rng = new Random(seed);
        var n = world.Users;
        var ctrA = new double[n];
        var ctrB = new double[n];
        var preference = new double[n];
        for (var u = 0; u < n; u++)
        {
            var listA = world.Mix(u, a, K);
            var listB = world.Mix(u, b, K);
            var truth = world.Truth[u];
            int clicksA = 0, clicksB = 0, creditA = 0, creditB = 0;
            for (var r = 0; r < requests; r++)
            {
                clicksA += Clicks(listA, truth, rng, null, out _);
                clicksB += Clicks(listB, truth, rng, null, out _);
                var merged = TeamDraft.Merge([listA, listB], K, TeamDraft.Seed(u, $"{seed}-{r}"));
                Clicks(merged.Items, truth, rng, merged.Teams, out var credit);
                creditA += credit.A;
                creditB += credit.B;
            }

            ctrA[u] = clicksA / (double)(requests * Math.Max(1, listA.Length));
            ctrB[u] = clicksB / (double)(requests * Math.Max(1, listB.Length));
            preference[u] = Math.Sign(creditA - creditB);
        }

        var z = Normal.InvCDF(0, 1, 0.975) + Normal.InvCDF(0, 1, 0.8);
        var (meanA, varA) = MeanVariance(ctrA);
        var (meanB, varB) = MeanVariance(ctrB);
        var (meanD, varD) = MeanVariance(preference);
        var delta = meanA - meanB;
        return new PairResult(meanA, meanB, delta, meanD,
            2 * z * z * (varA + varB) / (delta * delta),
            z * z * varD / (meanD * meanD));
    }

    private static int Clicks(IReadOnlyList<long> list, HashSet<long> truth, Random rng, IReadOnlyList<int>? teams, out (int A, int B) credit)
    {
        var clicks = 0;
        credit = (0, 0);
        for (var p = 0; p < list.Count; p++)
        {
            var probability = truth.Contains(list[p]) ? 0.5 / (1 + (p / 3.0)) : 0.005;
            if (rng.NextDouble() < probability)
            {
                clicks++;
                if (teams is not null)
                {
                    credit = teams[p] == 0 ? (credit.A + 1, credit.B) : (credit.A, credit.B + 1);
                }
            }
        }

        return clicks;
    }

    private static (double Mean, double Variance) MeanVariance(double[] values)
    {
        var mean = values.Average();
        return (mean, values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
    }

    /// <summary>One planted pair's measurements.</summary>
    internal sealed record PairResult(double CtrA, double CtrB, double CtrDifference, double MeanPreference, double UsersAb, double UsersInterleaving);
}

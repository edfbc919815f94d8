using MathNet.Numerics.Distributions;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Interleaving;

/// <summary>
/// Analyses interleaving experiments in a log: every click and other positive event on an item (a repeated one — same
/// request, item and type — once) is credited to the variant
/// that placed it (<see cref="ExposureRecord.Team"/>); per request and per user the credits decide wins, losses and
/// ties; the per-user preference is tested with an exact sign test (<see cref="InterleavingPair"/>); with more than two
/// variants every pair is tested and the p-values are Holm-corrected.
/// </summary>
public static class InterleavingAnalyzer
{
    /// <summary>One report per interleaving experiment in <paramref name="log"/>, by layer and experiment name; empty when there is none.</summary>
    /// <param name="log">The log; exposures without a team are ignored.</param>
    /// <param name="alpha">Family-wise alpha, in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside (0, 1).</exception>
    public static IReadOnlyList<InterleavingReport> Analyze(ExperimentLog log, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(log);
        CheckAlpha(alpha);
        var placed = new Dictionary<(string Request, long Item), string>();
        var requests = new Dictionary<string, (long User, string Layer, string Experiment)>(StringComparer.Ordinal);
        foreach (var exposure in log.Exposures)
        {
            if (exposure.Team is null || exposure.Assignment.Layers.FirstOrDefault(l => l.Variant == LayerAssignment.InterleavedVariant) is not { Experiment: { } experiment } layer)
            {
                continue;
            }

            placed.TryAdd((exposure.RequestId, exposure.ItemId), exposure.Team);
            requests.TryAdd(exposure.RequestId, (exposure.UserId, layer.Layer, experiment));
        }

        if (requests.Count == 0)
        {
            return [];
        }

        var credits = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        // Like the rest of the analysis, a repeated event (same request, item and type) counts once.
        var events = log.Clicks.Select(c => (c.RequestId, c.ItemId, Type: "click")).Concat(log.Engagements.Select(e => (e.RequestId, e.ItemId, e.Type))).Distinct();
        foreach (var (request, item, _) in events)
        {
            if (placed.TryGetValue((request, item), out var team))
            {
                var perTeam = credits.TryGetValue(request, out var c) ? c : credits[request] = new Dictionary<string, double>(StringComparer.Ordinal);
                perTeam[team] = perTeam.GetValueOrDefault(team) + 1;
            }
        }

        var reports = new List<InterleavingReport>();
        foreach (var group in requests.GroupBy(r => (r.Value.Layer, r.Value.Experiment)).OrderBy(g => g.Key.Layer, StringComparer.Ordinal).ThenBy(g => g.Key.Experiment, StringComparer.Ordinal))
        {
            var ids = group.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            var variants = placed.Where(p => ids.Contains(p.Key.Request)).Select(p => p.Value).Distinct().Order(StringComparer.Ordinal).ToArray();
            var units = group.Select(r => (r.Value.User, Credits: credits.GetValueOrDefault(r.Key))).ToList();
            var perRequest = units.Select(u => variants.Select(v => u.Credits?.GetValueOrDefault(v) ?? 0).ToArray()).ToList();
            var perUser = units.GroupBy(u => u.User).Select(g => variants.Select(v => g.Sum(u => u.Credits?.GetValueOrDefault(v) ?? 0)).ToArray()).ToList();
            var totals = variants.Select((v, i) => (v, (long)perRequest.Sum(r => r[i]))).ToDictionary(p => p.v, p => p.Item2, StringComparer.Ordinal);
            reports.Add(new InterleavingReport(group.Key.Layer, group.Key.Experiment, variants, perUser.Count, units.Count, totals, alpha, Pairs(variants, perRequest, perUser, alpha)));
        }

        return reports;
    }

    /// <summary>
    /// The preference of every pair of variants from per-request and per-user credits (one array per unit, one entry per
    /// variant), Holm-corrected over the pairs. Used by <see cref="Analyze"/> and by simulations.
    /// </summary>
    /// <param name="variants">Variant names, the order of every credits array.</param>
    /// <param name="perRequest">Credits of each variant per request.</param>
    /// <param name="perUser">Credits of each variant per user.</param>
    /// <param name="alpha">Family-wise alpha, in (0, 1).</param>
    public static IReadOnlyList<InterleavingPair> Pairs(IReadOnlyList<string> variants, IReadOnlyList<double[]> perRequest, IReadOnlyList<double[]> perUser, double alpha)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(perRequest);
        ArgumentNullException.ThrowIfNull(perUser);
        CheckAlpha(alpha);
        var raw = new List<(int A, int B, InterleavingOutcome Requests, InterleavingOutcome Users, double P)>();
        for (var a = 0; a < variants.Count; a++)
        {
            for (var b = a + 1; b < variants.Count; b++)
            {
                var users = Outcome(perUser, a, b);
                raw.Add((a, b, Outcome(perRequest, a, b), users, SignTest(users.Wins, users.Losses)));
            }
        }

        var adjusted = Holm(raw.Select(r => r.P).ToArray());
        return raw.Select((r, i) =>
        {
            var (share, low, high) = ClopperPearson(r.Users.Wins, r.Users.Losses, alpha);
            var all = r.Users.Wins + r.Users.Losses + r.Users.Ties;
            var preferred = adjusted[i] < alpha ? (r.Users.Wins > r.Users.Losses ? variants[r.A] : variants[r.B]) : null;
            return new InterleavingPair(variants[r.A], variants[r.B], r.Requests, r.Users, share, low, high,
                all == 0 ? 0 : (r.Users.Wins - r.Users.Losses) / (double)all, r.P, adjusted[i], preferred);
        }).ToArray();
    }

    /// <summary>Two-sided exact sign test of <paramref name="wins"/> against <paramref name="losses"/> (ties left out); 1 when both are 0.</summary>
    public static double SignTest(int wins, int losses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wins);
        ArgumentOutOfRangeException.ThrowIfNegative(losses);
        var n = wins + losses;
        return n == 0 ? 1 : Math.Min(1, 2 * Binomial.CDF(0.5, n, Math.Min(wins, losses)));
    }

    /// <summary>Holm's step-down adjustment of <paramref name="p"/> (same order).</summary>
    public static double[] Holm(IReadOnlyList<double> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var order = Enumerable.Range(0, p.Count).OrderBy(i => p[i]).ToArray();
        var adjusted = new double[p.Count];
        var running = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            running = Math.Max(running, Math.Min(1, (p.Count - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }

    private static (double? Share, double Low, double High) ClopperPearson(int wins, int losses, double alpha)
    {
        var n = wins + losses;
        if (n == 0)
        {
            return (null, 0, 1);
        }

        var low = wins == 0 ? 0 : Beta.InvCDF(wins, n - wins + 1, alpha / 2);
        var high = wins == n ? 1 : Beta.InvCDF(wins + 1, n - wins, 1 - (alpha / 2));
        return (wins / (double)n, low, high);
    }

    private static InterleavingOutcome Outcome(IReadOnlyList<double[]> units, int a, int b)
    {
        int wins = 0, losses = 0, ties = 0;
        foreach (var credits in units)
        {
            if (credits[a] > credits[b])
            {
                wins++;
            }
            else if (credits[a] < credits[b])
            {
                losses++;
            }
            else
            {
                ties++;
            }
        }

        return new InterleavingOutcome(wins, losses, ties);
    }

    private static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1).");
        }
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Draws negatives for the sampled modes: global negatives with p ∝ clicks^α from an alias table, mixed with hard
/// negatives from a provided per-user list at <see cref="TwoTowerOptions.HardNegativeRatio"/>; in the in-batch mode, the
/// <see cref="TwoTowerOptions.GlobalNegatives"/> shared by a batch. The positive itself and
/// items the user was exposed to without clicking are never returned (redrawn up to a bound).
/// </summary>
internal sealed class NegativeSampler
{
    private const int MaxRedraws = 16;
    private readonly TrainingSet _set;
    private readonly AliasSampler? _alias;
    private readonly int[][]? _hard;
    private readonly double _hardRatio;
    private readonly float[] _logQ;

    public NegativeSampler(TrainingSet set, TwoTowerOptions options, IReadOnlyDictionary<long, long[]>? hardNegatives)
    {
        _set = set;
        _hardRatio = options.HardNegativeRatio;
        _logQ = new float[set.Items.Length];
        if (options.Mode == TrainingMode.InBatchSoftmax && options.GlobalNegatives == 0)
        {
            return;
        }

        var weights = set.ItemCounts.Select(c => Math.Pow(c, options.NegativeSamplingExponent)).ToArray();
        _alias = new AliasSampler(weights);
        for (var i = 0; i < _logQ.Length; i++)
        {
            _logQ[i] = (float)Math.Log(Math.Max(_alias.Probabilities[i], 1e-12));
        }

        if (hardNegatives is not null && _hardRatio > 0)
        {
            var itemPositions = new Dictionary<long, int>(set.Items.Length);
            for (var i = 0; i < set.Items.Length; i++)
            {
                itemPositions[set.Items[i]] = i;
            }

            _hard = new int[set.Users.Length][];
            for (var u = 0; u < set.Users.Length; u++)
            {
                _hard[u] = hardNegatives.TryGetValue(set.Users[u], out var list)
                    ? list.Where(itemPositions.ContainsKey).Select(i => itemPositions[i]).ToArray()
                    : [];
            }
        }
    }

    /// <summary>[count * n] item positions, row-major.</summary>
    public long[] Sample(long[] users, long[] positives, int n, Random random)
    {
        var alias = _alias ?? throw new InvalidOperationException("In-batch mode draws no sampled negatives.");
        var result = new long[users.Length * n];
        for (var b = 0; b < users.Length; b++)
        {
            var u = (int)users[b];
            var exposed = _set.ExposedByUser[u];
            var hard = _hard?[u];
            for (var j = 0; j < n; j++)
            {
                int item;
                var redraws = 0;
                do
                {
                    item = hard is { Length: > 0 } && random.NextDouble() < _hardRatio
                        ? hard[random.Next(hard.Length)]
                        : alias.Sample(random);
                }
                while ((item == positives[b] || exposed.Contains(item)) && ++redraws < MaxRedraws);
                result[(b * n) + j] = item;
            }
        }

        return result;
    }

    /// <summary>Fills <paramref name="into"/> with global draws (p ∝ clicks^α), item positions; no per-user exclusions.</summary>
    public void SampleGlobal(Span<long> into, Random random)
    {
        var alias = _alias ?? throw new InvalidOperationException("No global sampler: GlobalNegatives is 0.");
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = alias.Sample(random);
        }
    }

    /// <summary>Probability q of the global sampler drawing item position <paramref name="item"/>.</summary>
    public double Probability(long item) => _alias is null ? 0 : _alias.Probabilities[item];

    /// <summary>log q of the global sampler for item positions ([m] float32).</summary>
    public Tensor LogQ(long[] items)
    {
        var q = new float[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            q[i] = _logQ[items[i]];
        }

        return torch.tensor(q);
    }
}

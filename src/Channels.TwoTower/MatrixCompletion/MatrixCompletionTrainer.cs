using System.Diagnostics;
using RecFramework.Data;

namespace RecFramework.Channels.TwoTower.MatrixCompletion;

/// <summary>
/// Trains matrix completion: a user embedding table and an item embedding table (ids only, no features), the inner
/// product of a pair regressed by squared loss on its interest score, with L2 regularisation of the two embeddings
/// of each example, by Adam over the whole tables. Every epoch fits every observed pair (<see cref="InterestScores"/>)
/// and, per observed positive pair, <see cref="MatrixCompletionOptions.Negatives"/> unobserved pairs of the same user
/// drawn uniformly from the items, with score 0.
/// </summary>
/// <remarks>
/// A plain single-threaded loop over two <c>float[]</c> tables, not libtorch: the model is inner products, and a step
/// of a few dozen tiny libtorch calls (each parallel region a barrier of its intra-op threads) cost 10–360 ms on a
/// loaded machine where this loop takes well under one. Gradients are exact (the analytic gradient of the batch mean)
/// and the Adam update is PyTorch's (β 0.9/0.999, ε 1e-8, bias-corrected), dense over both tables as before.
/// Reproducible: initialisation, sampling and shuffling draw from one <see cref="Random"/> seeded by <c>seed</c>, and
/// every sum runs in a fixed order.
/// </remarks>
internal static class MatrixCompletionTrainer
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    /// <summary>The trained embeddings: users and items in ascending id order, row-major vectors.</summary>
    public sealed record Result(long[] Users, float[] UserVectors, long[] Items, float[] ItemVectors, double FinalLoss, long Examples, double Seconds);

    public static Result Train(InteractionDataset data, MatrixCompletionOptions options, int seed, IProgress<BuildProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var observed = InterestScores.Observed(data.Interactions);
        if (observed.Length == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Matrix completion needs interactions; data set '{data.Name}' has none.");
        }

        var users = observed.Select(p => p.User).Distinct().Order().ToArray();
        var items = observed.Select(p => p.Item).Distinct().Order().ToArray();
        var userRow = Rows(users);
        var itemRow = Rows(items);
        var pairs = observed.Select(p => new Example(userRow[p.User], itemRow[p.Item], p.Score)).ToArray();
        var seenBy = pairs.GroupBy(p => p.User).ToDictionary(g => g.Key, g => g.Select(p => p.Item).ToHashSet());
        var positives = pairs.Where(p => p.Score > 0).ToArray();

        var d = options.Dimension;
        var random = new Random(seed);
        var userTable = new Table(users.Length, d, (float)options.InitStd, random);
        var itemTable = new Table(items.Length, d, (float)options.InitStd, random);
        var l2 = (float)options.L2;
        var learningRate = (float)options.LearningRate;
        double loss = double.NaN;
        long examples = 0;
        var t = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var epochPairs = EpochPairs(pairs, positives, seenBy, items.Length, options.Negatives, random);
            double sum = 0;
            for (var start = 0; start < epochPairs.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(options.BatchSize, epochPairs.Length - start);
                sum += Gradients(epochPairs.AsSpan(start, count), userTable, itemTable, d, l2);
                t++;
                userTable.AdamStep(learningRate, t);
                itemTable.AdamStep(learningRate, t);
            }

            examples += epochPairs.Length;
            loss = sum / epochPairs.Length;
            progress?.Report(new BuildProgress((double)epoch / options.Epochs, $"matrix completion epoch {epoch}/{options.Epochs} loss {loss:F4}"));
        }

        return new Result(users, userTable.Weights, items, itemTable.Weights, loss, examples, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Sets the tables' gradients to those of the batch objective <c>mean((⟨u,v⟩ − y)² + λ(‖u‖² + ‖v‖²))</c> and
    /// returns the batch's summed (not averaged) objective.
    /// </summary>
    private static double Gradients(ReadOnlySpan<Example> batch, Table users, Table items, int d, float l2)
    {
        Array.Clear(users.Gradient);
        Array.Clear(items.Gradient);
        var scale = 2f / batch.Length;
        double sum = 0;
        foreach (var (user, item, score) in batch)
        {
            var u = users.Weights.AsSpan(user * d, d);
            var v = items.Weights.AsSpan(item * d, d);
            var gu = users.Gradient.AsSpan(user * d, d);
            var gv = items.Gradient.AsSpan(item * d, d);
            float dot = 0, uu = 0, vv = 0;
            for (var k = 0; k < d; k++)
            {
                dot += u[k] * v[k];
                uu += u[k] * u[k];
                vv += v[k] * v[k];
            }

            var error = dot - score;
            sum += (error * error) + (l2 * (uu + vv));
            var e = scale * error;
            var r = scale * l2;
            for (var k = 0; k < d; k++)
            {
                gu[k] += (e * v[k]) + (r * u[k]);
                gv[k] += (e * u[k]) + (r * v[k]);
            }
        }

        return sum;
    }

    private static Dictionary<long, int> Rows(long[] ids)
    {
        var rows = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            rows[ids[i]] = i;
        }

        return rows;
    }

    /// <summary>Every observed pair plus sampled unobserved ones (score 0), shuffled.</summary>
    private static Example[] EpochPairs(
        Example[] pairs,
        Example[] positives,
        Dictionary<int, HashSet<int>> seenBy,
        int itemCount,
        int negatives,
        Random random)
    {
        var result = new List<Example>(pairs.Length + (positives.Length * negatives));
        result.AddRange(pairs);
        foreach (var (user, _, _) in positives)
        {
            var seen = seenBy[user];
            if (seen.Count >= itemCount)
            {
                continue;
            }

            for (var n = 0; n < negatives; n++)
            {
                int item;
                do
                {
                    item = random.Next(itemCount);
                }
                while (seen.Contains(item));
                result.Add(new Example(user, item, 0f));
            }
        }

        var shuffled = result.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    private readonly record struct Example(int User, int Item, float Score);

    /// <summary>An embedding table with its gradient and Adam moments, all row-major <c>rows × d</c>.</summary>
    private sealed class Table
    {
        private readonly float[] _first;
        private readonly float[] _second;

        public Table(int rows, int d, float std, Random random)
        {
            Weights = new float[rows * d];
            for (var i = 0; i < Weights.Length; i++)
            {
                Weights[i] = std * (float)Normal(random);
            }

            Gradient = new float[Weights.Length];
            _first = new float[Weights.Length];
            _second = new float[Weights.Length];
        }

        public float[] Weights { get; }

        public float[] Gradient { get; }

        /// <summary>PyTorch's Adam update of every weight (step <paramref name="t"/>, from 1).</summary>
        public void AdamStep(float learningRate, int t)
        {
            var stepSize = learningRate / (1 - MathF.Pow(Beta1, t));
            var correction2 = MathF.Sqrt(1 - MathF.Pow(Beta2, t));
            var w = Weights;
            var g = Gradient;
            var m = _first;
            var s = _second;
            for (var i = 0; i < w.Length; i++)
            {
                var gi = g[i];
                var mi = (Beta1 * m[i]) + ((1 - Beta1) * gi);
                var si = (Beta2 * s[i]) + ((1 - Beta2) * gi * gi);
                m[i] = mi;
                s[i] = si;
                w[i] -= stepSize * mi / ((MathF.Sqrt(si) / correction2) + Epsilon);
            }
        }

        /// <summary>A standard normal draw (Box–Muller).</summary>
        private static double Normal(Random random)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}

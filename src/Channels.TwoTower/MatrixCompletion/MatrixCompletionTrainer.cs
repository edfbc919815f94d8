using System.Diagnostics;
using RecFramework.Data;
using RecFramework.Channels.TwoTower.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.MatrixCompletion;

/// <summary>
/// Trains matrix completion: a user embedding table and an item embedding table (ids only, no features), the inner
/// product of a pair regressed by squared loss on its interest score, with L2 regularisation of the two embeddings
/// of each example, by Adam. Every epoch fits every observed pair (<see cref="InterestScores"/>) and, per observed
/// positive pair, <see cref="MatrixCompletionOptions.Negatives"/> unobserved pairs of the same user drawn uniformly
/// from the items, with score 0. Reproducible: initialisation draws from a generator of its own seeded by
/// <c>seed</c> (not libtorch's process-wide one) and sampling and shuffling from a seeded <see cref="Random"/>.
/// </summary>
internal static class MatrixCompletionTrainer
{
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
        var pairs = observed.Select(p => (User: userRow[p.User], Item: itemRow[p.Item], p.Score)).ToArray();
        var seenBy = pairs.GroupBy(p => p.User).ToDictionary(g => g.Key, g => g.Select(p => p.Item).ToHashSet());
        var positives = pairs.Where(p => p.Score > 0).ToArray();

        Trainer.ConfigureThreads(options.Threads);
        var d = options.Dimension;
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var userTable = new TorchSharp.Modules.Parameter(randn([users.Length, d], generator: generator).mul_(options.InitStd));
        var itemTable = new TorchSharp.Modules.Parameter(randn([items.Length, d], generator: generator).mul_(options.InitStd));
        using var adam = optim.Adam([userTable, itemTable], options.LearningRate);
        var random = new Random(seed);
        var l2 = (float)options.L2;
        double loss = double.NaN;
        long examples = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var epochPairs = EpochPairs(pairs, positives, seenBy, items.Length, options.Negatives, random);
            double sum = 0;
            for (var start = 0; start < epochPairs.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(options.BatchSize, epochPairs.Length - start);
                var batch = epochPairs.AsSpan(start, count);
                var u = new long[count];
                var v = new long[count];
                var y = new float[count];
                for (var j = 0; j < count; j++)
                {
                    (u[j], v[j], y[j]) = batch[j];
                }

                using var step = NewDisposeScope();
                var ue = userTable.index_select(0, tensor(u));
                var ve = itemTable.index_select(0, tensor(v));
                var error = ue.mul(ve).sum(1).sub(tensor(y));
                var objective = error.square().mean().add(ue.square().sum(1).add(ve.square().sum(1)).mean().mul(l2));
                adam.zero_grad();
                objective.backward();
                adam.step();
                sum += objective.item<float>() * count;
            }

            examples += epochPairs.Length;
            loss = sum / epochPairs.Length;
            progress?.Report(new BuildProgress((double)epoch / options.Epochs, $"matrix completion epoch {epoch}/{options.Epochs} loss {loss:F4}"));
        }

        using var noGrad = no_grad();
        return new Result(users, userTable.detach().data<float>().ToArray(), items, itemTable.detach().data<float>().ToArray(), loss, examples, watch.Elapsed.TotalSeconds);
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
    private static (long User, long Item, float Score)[] EpochPairs(
        (int User, int Item, float Score)[] pairs,
        (int User, int Item, float Score)[] positives,
        Dictionary<int, HashSet<int>> seenBy,
        int itemCount,
        int negatives,
        Random random)
    {
        var result = new List<(long, long, float)>(pairs.Length + (positives.Length * negatives));
        foreach (var (user, item, score) in pairs)
        {
            result.Add((user, item, score));
        }

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
                result.Add((user, item, 0f));
            }
        }

        var shuffled = result.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }
}

using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Channels.TwoTower.Training;
using RecFramework.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// Each training option trained on small planted data and checked for what its documentation says it does (not only
/// that it runs): seeds fixed, 2 threads, tiny dimensions and few epochs.
/// </summary>
public sealed class TrainingOptionTests
{
    private const int Groups = 6;

    private static TwoTowerOptions Tiny(Action<TwoTowerOptions>? change = null)
    {
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 4;
        options.ValidationFraction = 0;
        options.Refit = false;
        options.IdDropout = 0;
        change?.Invoke(options);
        return options;
    }

    private static TwoTowerBuilder.TrainResult Train(InteractionDataset data, TwoTowerOptions options, IReadOnlyDictionary<long, long[]>? hard = null, int seed = 3)
        => TwoTowerBuilder.Train(data, options, new TrainerSettings { Seed = seed, HardNegatives = hard }, parent: null, progress: null);

    [Theory]
    [InlineData(SslAugmentation.RandomMask)]
    [InlineData(SslAugmentation.ComplementarySplit)]
    [InlineData(SslAugmentation.CorrelatedMask)]
    [InlineData(SslAugmentation.MultiValueDropout)]
    public void SslViewsDifferAsDeclared(SslAugmentation augmentation)
    {
        var (data, _) = SyntheticData.Create(users: 40, items: 60);
        var options = Tiny(o =>
        {
            o.SslWeight = 1;
            o.SslAugmentation = augmentation;
            o.SslMaskProbability = 0.5;
        });
        var set = TrainingSet.Create(data, options);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var input = TowerInput.From(set.ItemRows);
        const int Fields = 2; // id + tags
        var views = new SslViews(set, Fields, options);
        var (first, second) = views.Views(input, new Random(1));
        var rows = set.Items.Length;
        if (augmentation == SslAugmentation.MultiValueDropout)
        {
            Assert.Null(first.Mask);
            var original = input.Multi!.data<long>().ToArray();
            var a = first.Input.Multi!.data<long>().ToArray();
            var b = second.Input.Multi!.data<long>().ToArray();
            Assert.NotEqual(a, b);
            for (var i = 0; i < original.Length; i++)
            {
                Assert.True(a[i] == original[i] || a[i] == 0, "a value is either kept or dropped to padding");
            }

            Assert.InRange(a.Count(v => v != 0) / (double)original.Count(v => v != 0), 0.3, 0.7);
            return;
        }

        var m1 = first.Mask!.data<float>().ToArray();
        var m2 = second.Mask!.data<float>().ToArray();
        Assert.Equal(rows * Fields, m1.Length);
        Assert.NotEqual(m1, m2);
        if (augmentation != SslAugmentation.RandomMask)
        {
            // Complementary halves: every field is kept in exactly one view, one field of two masked.
            Assert.All(Enumerable.Range(0, m1.Length), i => Assert.Equal(1f, m1[i] + m2[i]));
            Assert.All(Enumerable.Range(0, rows), r => Assert.Equal(1f, m1[r * Fields] + m1[(r * Fields) + 1]));
        }
        else
        {
            Assert.InRange(m1.Average(), 0.35, 0.65);
        }
    }

    [Fact]
    public void SeNetLearnsFieldWeightsThatChangeTheOutput()
    {
        var (data, _) = SyntheticData.Create(users: 80, items: 60, clicksPerUser: 12);
        var options = Tiny(o => { o.SeNet = true; o.Epochs = 3; });
        var set = TrainingSet.Create(data, options);
        torch.manual_seed(3);
        using var untrained = new TwoTowerModel(TowerShape.Of(set.UserEncoder), TowerShape.Of(set.ItemEncoder), options);
        var result = Train(data, options);
        using var model = result.Model;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        model.eval();
        var users = TowerInput.From(result.Set.UserRows);
        var weights = model.User.FieldWeights(users)!;
        var before = untrained.User.FieldWeights(TowerInput.From(set.UserRows))!;
        Assert.Equal(2, weights.shape[1]); // user id and segment (the continuous age is not an embedded field)
        var w = weights.data<float>().ToArray();
        Assert.All(w, v => Assert.InRange(v, 0f, 2f));

        // Learned: the per-field mean weights moved from their initial values (same seed, same initialisation: an
        // untrained excitation would match exactly).
        var fieldMeans = weights.mean([0]).data<float>().ToArray();
        var initialMeans = before.mean([0]).data<float>().ToArray();
        var moved = fieldMeans.Zip(initialMeans, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(moved > 1e-3, $"field weights {string.Join(", ", fieldMeans)} vs initial {string.Join(", ", initialMeans)}");

        // And they are used: a keep-mask of ones leaves the excitation as it is; a mask of 1 / weight cancels it, which
        // changes the output.
        var withWeights = model.User.call(users);
        var fields = model.User.FieldCount;
        var ones = torch.ones(users.Ids.shape[0], fields);
        Assert.True((withWeights - model.User.Forward(users, ones)).abs().max().item<float>() < 1e-5);
        var cancelled = model.User.Forward(users, ones / weights);
        Assert.True((withWeights - cancelled).abs().max().item<float>() > 1e-3, "cancelling the SENet weights must change the user vectors");
    }

    [Fact]
    public void HardNegativesArePushedDownForTheirUsers()
    {
        var (data, _) = SyntheticData.Create(users: 90, items: 60, clicksPerUser: 12, seed: 11);
        // For each user: three popular items of their own group they never clicked. Without hard negatives the model
        // ranks them high (same group, popular); listed as hard negatives they must fall.
        var clicked = data.Interactions.Where(e => e.IsPositive).GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Select(e => e.ItemId).ToHashSet());
        var popularity = data.Interactions.Where(e => e.IsPositive).GroupBy(e => e.ItemId).ToDictionary(g => g.Key, g => g.Count());
        var exposed = data.Interactions.Where(e => !e.IsPositive).Select(e => (e.UserId, e.ItemId)).ToHashSet();
        var hard = clicked.ToDictionary(kv => kv.Key, kv => popularity.Keys
            .Where(i => SyntheticData.GroupOfItem(i, Groups) == SyntheticData.GroupOfUser(kv.Key, Groups) && !kv.Value.Contains(i) && !exposed.Contains((kv.Key, i)))
            .OrderByDescending(i => popularity[i]).ThenBy(i => i).Take(3).ToArray());
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, hard.SelectMany(kv => kv.Value.Select(i => $"{kv.Key}\t{i}")));
            var read = TwoTowerBuilder.ReadHardNegatives(file);
            Assert.Equal(hard.Values.Sum(v => v.Length), read.Values.Sum(v => v.Length));

            var off = Train(data, Tiny(o => { o.Mode = TrainingMode.Listwise; o.Negatives = 8; o.Epochs = 4; }));
            var on = Train(data, Tiny(o => { o.Mode = TrainingMode.Listwise; o.Negatives = 8; o.Epochs = 4; o.HardNegativeRatio = 0.5; }), read);
            using (off.Model)
            using (on.Model)
            {
                var rankOff = MeanRank(off, hard);
                var rankOn = MeanRank(on, hard);
                Assert.True(rankOn > rankOff + 5, $"mean rank of the hard negatives: {rankOn:F1} with, {rankOff:F1} without");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Mean 0-based rank of each user's listed items among every item, by the model's score.</summary>
    private static double MeanRank(TwoTowerBuilder.TrainResult result, Dictionary<long, long[]> lists)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        result.Model.eval();
        var items = TowerInference.Vectors(result.Model.Item, TowerInput.From(result.Set.ItemRows));
        var users = TowerInference.Vectors(result.Model.User, TowerInput.From(result.Set.UserRows));
        var scores = users.matmul(items.t());
        var itemPosition = result.Set.Items.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var ranks = new List<double>();
        for (var u = 0; u < result.Set.Users.Length; u++)
        {
            if (!lists.TryGetValue(result.Set.Users[u], out var list))
            {
                continue;
            }

            var row = scores[u].data<float>().ToArray();
            foreach (var item in list)
            {
                var s = row[itemPosition[item]];
                ranks.Add(row.Count(v => v > s));
            }
        }

        return ranks.Average();
    }

    [Fact]
    public void HotItemDownSamplingKeepsEachItemAtTheDeclaredRate()
    {
        var (data, _) = SyntheticData.Create(users: 300, clicksPerUser: 20, seed: 5);
        const double T = 0.0005;
        var options = Tiny(o => o.HotItemThreshold = T);
        var set = TrainingSet.Create(data, options);
        var model = new TwoTowerModel(TowerShape.Of(set.UserEncoder), TowerShape.Of(set.ItemEncoder), options);
        using (model)
        {
            var trainer = new Trainer(model, set, options, new TrainerSettings { Seed = 1 });
            var random = new Random(1);
            var kept = new double[set.Items.Length];
            const int Epochs = 40;
            for (var e = 0; e < Epochs; e++)
            {
                foreach (var example in trainer.EpochOrder(random))
                {
                    kept[set.ExampleItems[example]]++;
                }
            }

            var total = set.ItemCounts.Sum();
            var hot = 0;
            for (var i = 0; i < kept.Length; i++)
            {
                var f = set.ItemCounts[i] / total;
                var p = Math.Min(1, Math.Sqrt(T / f) + (T / f));
                var n = set.ItemCounts[i] * Epochs;
                var expected = n * p;
                var sd = Math.Sqrt(n * p * (1 - p));
                Assert.InRange(kept[i], expected - (5 * sd) - 1e-9, expected + (5 * sd) + 1e-9);
                if (p < 0.8)
                {
                    hot++;
                }
            }

            Assert.True(hot >= 5, $"only {hot} items are hot enough to be down-sampled: the test data must have some");

            // Off: every example once per epoch.
            var all = new Trainer(model, set, Tiny(), new TrainerSettings { Seed = 1 }).EpochOrder(new Random(1));
            Assert.Equal(Enumerable.Range(0, set.ExampleItems.Length), all.Order());
        }
    }

    [Fact]
    public void BucketisedContinuousFeaturesUseEqualFrequencyBoundariesAndOneEmbeddingPerBucket()
    {
        var schema = new FeatureSchema([new FeatureSpec("views", FeatureKind.Continuous)]);
        // Item i has views i * i (1..10,000): long-tailed.
        var profiles = Enumerable.Range(1, 100).Select(i => new Profile(i, [[(i * i).ToString(System.Globalization.CultureInfo.InvariantCulture)]])).ToList();
        profiles.Add(new Profile(101, [[""]])); // missing value
        var table = new ProfileTable(schema, profiles);
        var ids = Enumerable.Range(1, 101).Select(i => (long)i).ToArray();
        var options = new TwoTowerOptions { ContinuousEncoding = ContinuousEncoding.Bucketize, ContinuousBuckets = 4 };
        var encoder = FeatureEncoder.Fit(ids, table, options, new HashSet<string>());
        var field = Assert.Single(encoder.Categorical);
        Assert.Empty(encoder.Continuous);
        Assert.True(field.Bucketized);

        // Equal-frequency boundaries: the 1/4, 2/4, 3/4 quantiles of the 100 known values (sorted index b·99/4).
        var sorted = Enumerable.Range(1, 100).Select(i => (double)(i * i)).ToArray();
        Assert.Equal([sorted[24], sorted[49], sorted[74]], field.Boundaries);
        Assert.Equal(5, field.Slots); // missing + 4 buckets

        var rows = encoder.Encode(ids, id => table.TryGet(id, out var p) ? p : null);
        long SlotOf(long id) => rows.Categorical[(int)id - 1] - field.Offset;
        Assert.Equal(1, SlotOf(1));     // 1 < 625: first bucket
        Assert.Equal(1, SlotOf(25));    // 625 equals the first boundary: that boundary's bucket
        Assert.Equal(2, SlotOf(26));
        Assert.Equal(4, SlotOf(100));   // above the last boundary
        Assert.Equal(0, SlotOf(101));   // missing
        var buckets = ids.Take(100).GroupBy(SlotOf).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(buckets.Values, c => Assert.InRange(c, 24, 26));

        // log1p: the boundaries are those of log(1 + x).
        var logEncoder = FeatureEncoder.Fit(ids, table, new TwoTowerOptions { ContinuousEncoding = ContinuousEncoding.Bucketize, ContinuousBuckets = 4, LogBeforeBucketize = true }, new HashSet<string>());
        Assert.Equal(field.Boundaries.Select(b => Math.Log(1 + b)), logEncoder.Categorical[0].Boundaries);

        // One embedding per bucket: with no id embedding, items in one bucket get one vector, other buckets others.
        var towerOptions = Tiny(o => { o.UseIds = false; o.ContinuousEncoding = ContinuousEncoding.Bucketize; o.ContinuousBuckets = 4; });
        torch.manual_seed(2);
        using var tower = new Tower("item", TowerShape.Of(encoder), towerOptions);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        tower.eval();
        var vectors = TowerInference.Vectors(tower, TowerInput.From(rows));
        Assert.Equal(0f, (vectors[0] - vectors[24]).abs().max().item<float>());
        Assert.Equal(0f, (vectors[25] - vectors[49]).abs().max().item<float>());
        Assert.True((vectors[24] - vectors[25]).abs().max().item<float>() > 1e-4);
        Assert.True((vectors[0] - vectors[100]).abs().max().item<float>() > 1e-4);
    }

    [Fact]
    public void IdHashingBoundsTheTableAndCollidingIdsShareAnEmbedding()
    {
        var (data, _) = SyntheticData.Create();
        var options = Tiny(o => { o.IdHashBuckets = 32; });
        var set = TrainingSet.Create(data, options);
        Assert.Equal(150, set.Users.Length);
        Assert.Equal(32, set.UserEncoder.IdHashBuckets);
        Assert.Equal(33, set.UserEncoder.IdSlots);     // 32 buckets + the out-of-vocabulary slot
        Assert.Equal(32, set.ItemEncoder.IdHashBuckets);
        Assert.All(set.UserRows.Ids, s => Assert.InRange(s, 1, 32));
        Assert.True(set.UserEncoder.IsKnown(123_456_789)); // hashed: an unseen id lands in a bucket, never out of vocabulary
        Assert.InRange(set.UserEncoder.IdSlot(123_456_789), 1, 32);

        // A vocabulary within the bucket count is not hashed.
        var dense = TrainingSet.Create(data, Tiny(o => o.IdHashBuckets = 1000));
        Assert.Equal(0, dense.UserEncoder.IdHashBuckets);
        Assert.Equal(151, dense.UserEncoder.IdSlots);

        torch.manual_seed(1);
        using var model = new TwoTowerModel(TowerShape.Of(set.UserEncoder), TowerShape.Of(set.ItemEncoder), options);
        Assert.Equal(33, model.User.IdTable!.weight!.shape[0]);

        // Colliding ids: two users of one bucket with the same profile get the same vector.
        var byBucket = set.Users.Select((id, i) => (id, i)).GroupBy(p => set.UserRows.Ids[p.i]).First(g => g.Count() > 1).Select(p => p.id).ToArray();
        var profile = SyntheticData.UserProfile(1, Groups);
        var rows = set.UserEncoder.Encode(byBucket, _ => profile);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        model.eval();
        var vectors = TowerInference.Vectors(model.User, TowerInput.From(rows));
        Assert.True((vectors[0] - vectors[1]).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void SampledNegativesFollowClicksToThePowerOfTheExponentAndSkipPositivesAndExposures()
    {
        var (data, _) = SyntheticData.Create();
        var options = Tiny(o => { o.Mode = TrainingMode.Listwise; o.NegativeSamplingExponent = 0.75; });
        var set = TrainingSet.Create(data, options);
        var sampler = new NegativeSampler(set, options, null);
        var random = new Random(4);
        var counts = new double[set.Items.Length];
        const int Rows = 2_000, N = 50;
        var users = new long[Rows];
        var positives = new long[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var e = random.Next(set.ExampleUsers.Length);
            users[r] = set.ExampleUsers[e];
            positives[r] = set.ExampleItems[e];
        }

        var draws = sampler.Sample(users, positives, N, random);
        for (var r = 0; r < Rows; r++)
        {
            for (var j = 0; j < N; j++)
            {
                var item = draws[(r * N) + j];
                Assert.NotEqual(positives[r], item);
                Assert.DoesNotContain((int)item, set.ExposedByUser[users[r]]);
                counts[item]++;
            }
        }

        // Empirical shares against clicks^0.75 (the exclusions shift them a little): correlation and the hot/cold ratio.
        var weights = set.ItemCounts.Select(c => Math.Pow(c, 0.75)).ToArray();
        var expected = weights.Select(w => w / weights.Sum() * Rows * N).ToArray();
        var hot = Enumerable.Range(0, counts.Length).OrderByDescending(i => weights[i]).Take(10).ToArray();
        var cold = Enumerable.Range(0, counts.Length).Where(i => weights[i] > 0).OrderBy(i => weights[i]).Take(10).ToArray();
        var ratio = hot.Sum(i => counts[i]) / cold.Sum(i => counts[i]);
        var expectedRatio = hot.Sum(i => weights[i]) / cold.Sum(i => weights[i]);
        Assert.InRange(ratio, expectedRatio * 0.8, expectedRatio * 1.25);
        Assert.True(Correlation(counts, expected) > 0.98);

        // The global draws of the in-batch mode come from the same table.
        var mixed = new NegativeSampler(set, Tiny(o => o.GlobalNegatives = 64), null);
        var global = new long[200_000];
        mixed.SampleGlobal(global, new Random(5));
        var globalCounts = new double[set.Items.Length];
        foreach (var g in global)
        {
            globalCounts[g]++;
        }

        for (var i = 0; i < weights.Length; i++)
        {
            Assert.Equal(weights[i] / weights.Sum(), mixed.Probability(i), 12);
        }

        // Chi-square against clicks^0.75 (cells with weight): below df + 5·sqrt(2 df), far under what clicks^1 gives.
        double ChiSquare(double[] w) => Enumerable.Range(0, w.Length).Where(i => w[i] > 0)
            .Sum(i => Math.Pow(globalCounts[i] - (global.Length * w[i] / w.Sum()), 2) / (global.Length * w[i] / w.Sum()));
        var cells = weights.Count(w => w > 0);
        var chi2 = ChiSquare(weights);
        Assert.True(chi2 < cells + (5 * Math.Sqrt(2 * cells)), $"chi-square {chi2:F1} over {cells} cells");
        Assert.True(ChiSquare(set.ItemCounts) > 4 * chi2, "linear click weights must fit far worse");
    }

    /// <summary>Pearson correlation.</summary>
    private static double Correlation(double[] a, double[] b)
    {
        var ma = a.Average();
        var mb = b.Average();
        var cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }

    [Fact]
    public void HardNegativeRatioOneDrawsOnlyFromTheList()
    {
        var (data, _) = SyntheticData.Create(users: 40, items: 60);
        var options = Tiny(o => { o.Mode = TrainingMode.Pointwise; o.HardNegativeRatio = 1; });
        var set = TrainingSet.Create(data, options);
        var lists = set.Users.ToDictionary(u => u, u => new[] { set.Items[(int)(u % 7)], set.Items[(int)(u % 7) + 10] });
        var sampler = new NegativeSampler(set, options, lists);
        var users = Enumerable.Range(0, set.Users.Length).Select(u => (long)u).ToArray();
        var positives = users.Select(u => (long)set.SeenByUser[u][0]).ToArray();
        var draws = sampler.Sample(users, positives, 20, new Random(2));
        for (var u = 0; u < users.Length; u++)
        {
            var allowed = lists[set.Users[u]].Select(id => (long)Array.IndexOf(set.Items, id)).ToHashSet();
            var mine = draws.AsSpan(u * 20, 20).ToArray();
            if (allowed.Contains(positives[u]) || allowed.Any(a => set.ExposedByUser[u].Contains((int)a)))
            {
                continue; // the redraw bound may fall back to the list's other item
            }

            Assert.All(mine, d => Assert.Contains(d, allowed));
        }
    }

    [Theory]
    [InlineData(TrainingMode.Pointwise)]
    [InlineData(TrainingMode.PairwiseHinge)]
    [InlineData(TrainingMode.PairwiseLogistic)]
    [InlineData(TrainingMode.Listwise)]
    [InlineData(TrainingMode.InBatchSoftmax)]
    public void EachModeLearnsThePlantedGroups(TrainingMode mode)
    {
        var (data, _) = SyntheticData.Create(users: 90, items: 60, clicksPerUser: 12, seed: 9);
        var result = Train(data, Tiny(o => { o.Mode = mode; o.Negatives = 4; o.Epochs = 3; }));
        using var model = result.Model;
        Assert.True(result.Report.EpochLosses[^1] < result.Report.EpochLosses[0], $"{mode}: losses {string.Join(", ", result.Report.EpochLosses)}");
        if (mode == TrainingMode.Pointwise)
        {
            return; // logistic on cos / τ with 4 negatives learns the groups only after more epochs than a test can afford
        }

        var own = GroupMargin(result);
        Assert.True(own > 1.5 / Groups, $"{mode}: only {own:P0} of the users' top 10 are of their group (chance {1.0 / Groups:P0})");
    }

    [Fact]
    public void GlobalNegativesEnterTheSoftmaxDenominatorWithMixtureLogQ()
    {
        // The loss against a hand computation: 2 users, 2 batch items, 2 drawn items of which one equals row 0's positive.
        using var scope = torch.NewDisposeScope();
        var users = torch.tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2);
        var items = torch.tensor(new float[] { 0.8f, 0.6f, 0, 1 }).reshape(2, 2);
        var drawn = torch.tensor(new float[] { 0.8f, 0.6f, 0.6f, 0.8f }).reshape(2, 2);
        var logQ = torch.tensor(new float[] { -1, -2, -1, -3 });
        var loss = Losses.MixedSoftmax(users, items, drawn, logQ, torch.tensor(new long[] { 7, 8 }), torch.tensor(new long[] { 7, 9 }), 0.5).item<float>();
        // Row 0 (positive 7): columns item7 (0.8/0.5+1), item8 (0/0.5+2), drawn 7 masked, drawn 9 (0.6/0.5+3).
        var row0 = 1.6 + 1 - Math.Log(Math.Exp(1.6 + 1) + Math.Exp(0 + 2) + Math.Exp(1.2 + 3));
        // Row 1 (positive 8): item7 (0.6/0.5+1), item8 (1/0.5+2), drawn 7 (0.6/0.5+1), drawn 9 (0.8/0.5+3).
        var row1 = 2 + 2 - Math.Log(Math.Exp(1.2 + 1) + Math.Exp(2 + 2) + Math.Exp(1.2 + 1) + Math.Exp(1.6 + 3));
        Assert.Equal(-(row0 + row1) / 2, loss, 4);
    }

    [Fact]
    public void GlobalNegativesChangeTrainingAndStillLearnTheGroups()
    {
        var (data, _) = SyntheticData.Create(users: 90, items: 60, clicksPerUser: 12, seed: 9);
        var off = Train(data, Tiny());
        var on = Train(data, Tiny(o => o.GlobalNegatives = 64));
        using (off.Model)
        using (on.Model)
        {
            // 64 more negatives per row: the loss over B + 64 columns starts higher than over B.
            Assert.True(on.Report.EpochLosses[0] > off.Report.EpochLosses[0], $"first-epoch loss {on.Report.EpochLosses[0]:F4} with, {off.Report.EpochLosses[0]:F4} without");
            Assert.True(GroupMargin(on) > 1.5 / Groups, $"{GroupMargin(on):P0} of the top 10 in the users' groups");
        }
    }

    [Fact]
    public void DistinctBatchItemsRunTheItemTowerOnFewerRowsAndTrainTheSameModel()
    {
        // 60 items, batches of 128: most items repeat within a batch.
        var (data, _) = SyntheticData.Create(users: 90, items: 60, clicksPerUser: 12, seed: 9);
        var on = Train(data, Tiny());
        var off = Train(data, Tiny(o => o.DeduplicateBatchItems = false));
        using (on.Model)
        using (off.Model)
        {
            Assert.InRange(on.Report.DistinctItemShare, 0.05, 0.6);
            Assert.True(double.IsNaN(off.Report.DistinctItemShare));
            for (var epoch = 0; epoch < off.Report.EpochLosses.Count; epoch++)
            {
                Assert.Equal(off.Report.EpochLosses[epoch], on.Report.EpochLosses[epoch], 1e-4); // same loss, float order aside
            }

            Assert.True(GroupMargin(on) > 1.5 / Groups, $"{GroupMargin(on):P0} of the top 10 in the users' groups");
        }
    }

    /// <summary>Mean over users of the share of their top-10 items (by score) in their own group (chance: 1 / groups).</summary>
    private static double GroupMargin(TwoTowerBuilder.TrainResult result)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        result.Model.eval();
        var items = TowerInference.Vectors(result.Model.Item, TowerInput.From(result.Set.ItemRows));
        var users = TowerInference.Vectors(result.Model.User, TowerInput.From(result.Set.UserRows));
        var top = users.matmul(items.t()).topk(10, dim: 1).indexes.data<long>().ToArray();
        var itemGroups = result.Set.Items.Select(i => SyntheticData.GroupOfItem(i, Groups)).ToArray();
        var shares = new List<double>();
        for (var u = 0; u < result.Set.Users.Length; u++)
        {
            var g = SyntheticData.GroupOfUser(result.Set.Users[u], Groups);
            shares.Add(Enumerable.Range(0, 10).Count(j => itemGroups[top[(u * 10) + j]] == g) / 10.0);
        }

        return shares.Average();
    }
}

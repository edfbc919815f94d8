using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Data;
using RecFramework.Vectors;
using Microsoft.Extensions.Options;

namespace RecFramework.Channels.TwoTower.Tests;

public sealed class EndToEndTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rf-twotower-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    internal static TwoTowerOptions SmallOptions() => new()
    {
        Dimension = 16,
        IdEmbeddingDimension = 16,
        FeatureEmbeddingDimension = 8,
        HiddenLayers = "32",
        BatchSize = 128,
        Epochs = 12,
        Patience = 0,
        LearningRate = 0.01,
        Temperature = 0.1,
        FrequencyHashSlots = 1 << 12,
        Threads = 2,
    };

    internal static (TwoTowerBuilder Builder, FileArtifactStore Store) Create(string root, TwoTowerOptions options)
        => (new TwoTowerBuilder(new StaticOptionsMonitor(options), new ExactVectorIndexFactory()), new FileArtifactStore(root));

    internal static async Task<ArtifactHandle> BuildAsync(TwoTowerBuilder builder, IArtifactStore store, InteractionDataset data, Dictionary<string, string>? parameters = null)
        => await builder.BuildAsync(new ChannelBuildContext
        {
            Channel = TwoTowerChannel.ChannelName,
            Data = data,
            Store = store,
            Seed = 5,
            Parameters = parameters ?? [],
        }, CancellationToken.None);

    [Fact]
    public async Task TrainedChannelBeatsPopularityOnPlantedStructure()
    {
        var (train, test) = SyntheticData.Create();
        var (builder, store) = Create(_root, SmallOptions());
        var handle = await BuildAsync(builder, store, train);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(handle, CancellationToken.None);
        Assert.Equal(handle.Manifest.Version, channel.ActiveVersion);

        var seen = train.Interactions.Where(e => e.IsPositive).GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Select(e => e.ItemId).ToHashSet());
        var popular = train.Interactions.Where(e => e.IsPositive).GroupBy(e => e.ItemId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToList();
        double towerRecall = 0, popularRecall = 0;
        const int K = 10;
        foreach (var (user, truth) in test)
        {
            var result = await channel.RecallAsync(new RecallRequest { UserId = user, K = K, Exclude = seen[user] }, CancellationToken.None);
            Assert.Equal(K, result.Items.Count);
            Assert.DoesNotContain(result.Items, i => seen[user].Contains(i.ItemId));
            Assert.Equal(result.Items.Count, result.Items.Select(i => i.ItemId).Distinct().Count());
            towerRecall += result.Items.Count(i => truth.Contains(i.ItemId)) / (double)truth.Count;
            popularRecall += popular.Where(i => !seen[user].Contains(i)).Take(K).Count(truth.Contains) / (double)truth.Count;
        }

        towerRecall /= test.Count;
        popularRecall /= test.Count;
        Assert.True(towerRecall > popularRecall + 0.1, $"two-tower recall@{K} {towerRecall:F3} vs popularity {popularRecall:F3}");
        Assert.True(handle.Manifest.Metrics["validation_recall@20"] > 0);
        Assert.Equal(train.Interactions.Where(e => e.IsPositive).Max(e => e.Timestamp), handle.Manifest.DataTo);

        // Where the training time went, and the item-tower rows per example (distinct batch items are on by default).
        var phases = new[] { "prepare", "forward", "loss", "backward", "step", "other" }.Select(p => handle.Manifest.Metrics["train_phase_s_" + p]).ToArray();
        Assert.All(phases, s => Assert.True(s >= 0));
        Assert.True(phases.Sum() > 0);
        Assert.InRange(handle.Manifest.Metrics["train_distinct_item_share"], 0.01, 1.0);

        // Refit (on by default): a fresh model trained for the epoch count validation chose.
        Assert.True(handle.Manifest.Metrics["best_epoch"] >= 1);
        Assert.Equal(handle.Manifest.Metrics["best_epoch"], handle.Manifest.Metrics["refit_epochs"]);
        Assert.InRange(handle.Manifest.Metrics["train_seconds"], handle.Manifest.Metrics["epoch_s"], handle.Manifest.Metrics["build_seconds"]);

        // The steps around the epochs, first run and refit together; a fresh build has no warm start.
        var steps = handle.Manifest.Metrics.Where(kv => kv.Key.StartsWith("prepare_s_", StringComparison.Ordinal)).ToDictionary();
        Assert.Superset(new[] { "prepare_s_positives", "prepare_s_encoders", "prepare_s_training_set", "prepare_s_model", "prepare_s_trainer_setup", "prepare_s_epoch_order", "prepare_s_between_epochs", "prepare_s_restore_best" }.ToHashSet(), steps.Keys.ToHashSet());
        Assert.DoesNotContain("prepare_s_warm_start", steps.Keys);
        Assert.All(steps.Values, s => Assert.True(s >= 0));
        Assert.True(steps["prepare_s_between_epochs"] > 0, "validation runs between epochs"); // scoring the validation users takes time
        Assert.True(steps.Values.Sum() < handle.Manifest.Metrics["train_seconds"]);
    }

    [Fact]
    public async Task UnknownUserIsServedFromFeatures()
    {
        var (train, _) = SyntheticData.Create();
        var (builder, store) = Create(_root, SmallOptions());
        var handle = await BuildAsync(builder, store, train);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(handle, CancellationToken.None);

        const int Groups = 6;
        var inGroup = 0;
        var total = 0;
        for (var g = 0; g < Groups; g++)
        {
            var stranger = 100_000 + g; // never seen in training; its profile says segment g
            var profile = SyntheticData.UserProfile(stranger, Groups);
            var result = await channel.RecallAsync(new RecallRequest { UserId = stranger, K = 10, Profile = profile }, CancellationToken.None);
            Assert.Equal(10, result.Items.Count);
            inGroup += result.Items.Count(i => SyntheticData.GroupOfItem(i.ItemId, Groups) == SyntheticData.GroupOfUser(stranger, Groups));
            total += result.Items.Count;
        }

        // By chance 1/6 of the items would be in the user's group.
        Assert.True(inGroup > total * 0.6, $"{inGroup}/{total} recalled items match the stranger's segment");

        // Without a profile the stranger still gets an answer (out-of-vocabulary id, missing features).
        var bare = await channel.RecallAsync(new RecallRequest { UserId = 999_999, K = 5 }, CancellationToken.None);
        Assert.Equal(5, bare.Items.Count);
    }

    [Fact]
    public async Task ServingLoadsOnlyTheUserTowerAndComputesTheSameUserVectors()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var (builder, store) = Create(_root, SmallOptions());
        var handle = await BuildAsync(builder, store, train);

        using var full = TwoTowerArtifact.Load(handle.Directory, new ExactVectorIndexFactory());
        using var serving = TwoTowerArtifact.Load(handle, new ExactVectorIndexFactory());
        Assert.NotNull(full.Model);
        Assert.Null(serving.Model); // the item tower was never read
        Assert.Null(serving.ItemEncoder); // nor the item vocabulary: this model reads no request history
        var times = serving.LoadTimes;
        Assert.All([times.EncodersMs, times.TowerMs, times.UserRowsMs, times.IndexMs], ms => Assert.InRange(ms, 0, 60_000));
        Assert.Equal(times.EncodersMs + times.TowerMs + times.UserRowsMs + times.IndexMs, times.TotalMs, 9);
        Assert.True(times.TowerMs > 0, "loading the user tower takes measurable time");

        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(handle, CancellationToken.None);
        for (long user = 1; user <= 10; user++)
        {
            var rows = full.UserRows.Row(full.UserRowOf[user]);
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var mode = TorchSharp.torch.inference_mode();
            var expected = full.Model!.User.call(Model.TowerInput.From(rows)).data<float>().ToArray();
            var served = channel.UserVector(user, null); // the managed forward pass: float rounding apart
            Assert.Equal(expected.Length, served.Length);
            Assert.All(expected.Zip(served), pair => Assert.True(Math.Abs(pair.First - pair.Second) < 2e-6, $"torch {pair.First}, served {pair.Second}"));
        }

        // An artifact written before the user tower was saved alone still serves, from the whole model.
        File.Delete(handle.PathOf(TwoTowerArtifact.UserTowerFile));
        using var older = TwoTowerArtifact.Load(handle.Directory, new ExactVectorIndexFactory(), userTowerOnly: true);
        Assert.NotNull(older.Model);
        Assert.Same(older.Model!.User, older.UserTower);
    }

    [Fact]
    public async Task SaveLoadRoundTripGivesIdenticalScores()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var options = SmallOptions();
        options.Epochs = 2;
        var (builder, store) = Create(_root, options);
        var handle = await BuildAsync(builder, store, train);

        using var first = new TwoTowerChannel(new ExactVectorIndexFactory());
        using var second = new TwoTowerChannel(new ExactVectorIndexFactory());
        await first.ActivateAsync(handle, CancellationToken.None);
        await second.ActivateAsync(store.Open(TwoTowerChannel.ChannelName), CancellationToken.None);

        // Item vectors recomputed by the loaded model equal the exported ones.
        using var artifact = TwoTowerArtifact.Load(handle.Directory, null);
        var (dimension, ids, exported) = VectorFile.Read(handle.PathOf(TwoTowerArtifact.ItemVectorsFile));
        var rows = artifact.ItemEncoder!.Encode(ids, id => train.Items.TryGet(id, out var p) ? p : null);
        var recomputed = Model.TowerInference.Export(artifact.Model!.Item, rows);
        Assert.Equal(16, dimension);
        Assert.Equal(exported, recomputed);

        for (long user = 1; user <= 10; user++)
        {
            var a = await first.RecallAsync(new RecallRequest { UserId = user, K = 8 }, CancellationToken.None);
            var b = await second.RecallAsync(new RecallRequest { UserId = user, K = 8 }, CancellationToken.None);
            Assert.Equal(a.Items, b.Items);
            Assert.Equal(first.UserVector(user, null), second.UserVector(user, null));
        }
    }

    [Fact]
    public async Task IncrementalUpdateTrainsOnlyIdEmbeddings()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var options = SmallOptions();
        options.Epochs = 2;
        var (builder, store) = Create(_root, options);
        var parent = await BuildAsync(builder, store, train);

        // New period: the same users click again, plus a brand-new user.
        var later = train.Interactions.Where(e => e.IsPositive).Take(200)
            .Select(e => e with { Timestamp = e.Timestamp + 10_000_000 })
            .Append(new Interaction(777, 3, InteractionType.Click, 20_000_000, 1f))
            .Append(new Interaction(777, 9, InteractionType.Click, 20_000_001, 1f))
            .ToArray();
        var child = await BuildAsync(builder, store, train.With("later", later), new() { ["update"] = "incremental" });
        Assert.Equal(parent.Manifest.Version, child.Manifest.Parent);
        Assert.Equal("incremental", child.Manifest.Properties["update"]);

        using var before = TwoTowerArtifact.Load(parent.Directory, null);
        using var after = TwoTowerArtifact.Load(child.Directory, null);
        var oldState = before.Model!.state_dict();
        var newState = after.Model!.state_dict();
        var changedIdRows = 0;
        foreach (var (name, tensor) in oldState)
        {
            var updated = newState[name];
            if (name.EndsWith("ids.weight", StringComparison.Ordinal))
            {
                var rows = tensor.shape[0];
                var diff = (updated.narrow(0, 0, rows) - tensor).abs().sum(1);
                changedIdRows += (int)diff.gt(0).sum().item<long>();
            }
            else
            {
                Assert.True((tensor - updated).abs().max().item<float>() == 0, $"{name} changed in an incremental update");
            }
        }

        Assert.True(changedIdRows > 10, $"only {changedIdRows} id rows changed");
        Assert.True(after.UserEncoder.IsKnown(777));
        Assert.False(before.UserEncoder.IsKnown(777));
        // Stored as a delta over the parent: the changed user vectors, no whole copy.
        Assert.Equal(parent.Manifest.Version, child.Manifest.DeltaOf);
        Assert.True(File.Exists(child.PathOf(TwoTowerDelta.UserVectorsFile)));
        Assert.False(File.Exists(child.PathOf(TwoTowerArtifact.UserVectorsFile)));
    }

    [Fact]
    public async Task FullUpdateWarmStartsAndRunsOneEpoch()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var options = SmallOptions();
        options.Epochs = 3;
        var (builder, store) = Create(_root, options);
        var parent = await BuildAsync(builder, store, train);
        var child = await BuildAsync(builder, store, train, new() { ["update"] = "full" });
        Assert.Equal(1, child.Manifest.Metrics["epochs_run"]);
        Assert.Equal(parent.Manifest.Version, child.Manifest.Parent);
        Assert.NotEqual(parent.Manifest.Version, child.Manifest.Version);

        // The build's time, part by part: the parts lie within the whole, the epoch within the training call.
        var m = child.Manifest.Metrics;
        Assert.InRange(m["parent_load_seconds"], 1e-6, m["build_seconds"]);
        Assert.InRange(m["train_seconds"], m["epoch_s"] * m["epochs_run"], m["build_seconds"]);
        Assert.InRange(m["model_write_seconds"], 1e-6, m["build_seconds"]);
        Assert.True(m["parent_load_seconds"] + m["train_seconds"] + m["model_write_seconds"] + m["export_index_seconds"] <= m["build_seconds"]);
        Assert.False(parent.Manifest.Metrics.ContainsKey("parent_load_seconds")); // a fresh build reads no parent

        // The training call's steps around the epoch lie within it; an update warm-starts and seeds new item rows.
        var steps = m.Where(kv => kv.Key.StartsWith("prepare_s_", StringComparison.Ordinal)).ToDictionary();
        Assert.Contains("prepare_s_warm_start", steps.Keys);
        Assert.Contains("prepare_s_seed_new_items", steps.Keys);
        Assert.Contains("prepare_s_training_set", steps.Keys);
        Assert.True(steps.Values.Sum() + (m["epoch_s"] * m["epochs_run"]) <= m["train_seconds"] * 1.001);

        // The export's parts: user vectors, item vectors, the index.
        Assert.All(new[] { "export_users_seconds", "export_items_seconds", "index_build_seconds" }, part => Assert.InRange(m[part], 1e-6, m["export_index_seconds"]));
        Assert.True(m["export_users_seconds"] + m["export_items_seconds"] + m["index_build_seconds"] <= m["export_index_seconds"]);
    }

    private sealed class StaticOptionsMonitor(TwoTowerOptions value) : IOptionsMonitor<TwoTowerOptions>
    {
        public TwoTowerOptions CurrentValue => value;

        public TwoTowerOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TwoTowerOptions, string?> listener) => null;
    }
}

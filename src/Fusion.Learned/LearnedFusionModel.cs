using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RecFramework.Evaluation;
using RecFramework.Pipeline;
using RankingMetrics = RecFramework.Evaluation.RankingMetrics;

namespace RecFramework.Fusion.Learned;

/// <summary>
/// A trained fusion: an ML.NET FastTree ranking model (LambdaMART) over <see cref="LearnedFusionFeatures"/> of each
/// candidate, with the manifest naming its channels and features and the train popularity it reads. Saved as a folder
/// with <see cref="ManifestFile"/>, <see cref="ModelFile"/> (the ML.NET model) and <see cref="PopularityFile"/>.
/// Thread-safe for <see cref="Fuse"/>.
/// </summary>
public sealed class LearnedFusionModel
{
    /// <summary>Manifest file name.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>ML.NET model file name.</summary>
    public const string ModelFile = "model.zip";

    /// <summary>Popularity table file name (item id → train positive count).</summary>
    public const string PopularityFile = "popularity.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _schema;
    private readonly IReadOnlyDictionary<long, double> _popularity;

    private LearnedFusionModel(MLContext ml, ITransformer model, LearnedFusionManifest manifest, IReadOnlyDictionary<long, double> popularity)
    {
        _ml = ml;
        _model = model;
        Manifest = manifest;
        _popularity = popularity;
        _schema = Schema(manifest.Features.Count);
    }

    /// <summary>Channels, features, version and training figures.</summary>
    public LearnedFusionManifest Manifest { get; }

    /// <summary>
    /// Trains on <paramref name="data"/> (<see cref="PipelineEvaluator.CollectFusionExamplesAsync"/> on a validation
    /// split): one query per user with at least one held-out item among its candidates; every positive candidate and up
    /// <see cref="LearnedFusionTrainingOptions.NegativesPerUser"/> negatives drawn with the seed (0: all of them).
    /// </summary>
    /// <param name="data">Examples and train popularity.</param>
    /// <param name="options">Trees, leaves, sampling, seed; null for the defaults.</param>
    /// <exception cref="RecFrameworkException">No example has a held-out item among its candidates.</exception>
    public static LearnedFusionModel Train(FusionTrainingSet data, LearnedFusionTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new LearnedFusionTrainingOptions();
        var channels = data.Examples.SelectMany(e => e.Input.Lists.Select(l => l.Channel)).Distinct(StringComparer.Ordinal).ToArray();
        var names = LearnedFusionFeatures.Names(channels);
        var random = new Random(options.Seed);
        var rows = new List<FeatureRow>();
        uint group = 0;
        int users = 0, positives = 0;
        double ceiling = 0;
        foreach (var example in data.Examples)
        {
            var (items, features) = LearnedFusionFeatures.Compute(example.Input, channels, data.Popularity);
            if (example.Relevant.Count > 0)
            {
                ceiling += RankingMetrics.Recall([.. items.OrderByDescending(example.Relevant.Contains)], example.Relevant, 20);
            }

            var positive = new List<int>();
            var negative = new List<int>();
            for (var i = 0; i < items.Length; i++)
            {
                (example.Relevant.Contains(items[i]) ? positive : negative).Add(i);
            }

            if (positive.Count == 0)
            {
                continue;
            }

            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(negative));
            group++;
            users++;
            positives += positive.Count;
            foreach (var i in positive)
            {
                rows.Add(new FeatureRow { Label = 1, GroupId = group, Features = features[i] });
            }

            foreach (var i in options.NegativesPerUser > 0 ? negative.Take(options.NegativesPerUser) : negative)
            {
                rows.Add(new FeatureRow { Label = 0, GroupId = group, Features = features[i] });
            }
        }

        if (users == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"Learned fusion: none of the {data.Examples.Count} users has a held-out item among its candidates; nothing to learn from.");
        }

        var ml = new MLContext(options.Seed);
        var view = ml.Data.LoadFromEnumerable(rows, Schema(names.Length, withLabel: true));
        var keyed = ml.Transforms.Conversion.MapValueToKey(nameof(FeatureRow.GroupId)).Fit(view).Transform(view);
        var trainer = ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            RowGroupColumnName = nameof(FeatureRow.GroupId),
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinimumExamplesPerLeaf,
            LearningRate = options.LearningRate,
            NumberOfThreads = 1, // deterministic for a seed
            FeatureFraction = 1,
        });
        var model = trainer.Fit(keyed);
        var manifest = new LearnedFusionManifest
        {
            Version = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-s" + options.Seed.ToString(CultureInfo.InvariantCulture),
            Channels = channels,
            Features = names,
            TrainedAt = DateTimeOffset.UtcNow,
            Users = users,
            Rows = rows.Count,
            Positives = positives,
            CandidateRecallAt20 = ceiling / Math.Max(1, data.Examples.Count(e => e.Relevant.Count > 0)),
            Options = options,
        };
        return new LearnedFusionModel(ml, model, manifest, new Dictionary<long, double>(data.Popularity));
    }

    /// <summary>Folds of <see cref="CrossValidate"/> and <see cref="TrainSelected"/> unless told otherwise.</summary>
    public const int DefaultFolds = 3;

    /// <summary>
    /// Honest figures for a training configuration on validation data: the users with a held-out item are split into
    /// <paramref name="folds"/> folds (the i-th such user, in the order given, in fold i mod folds); for each fold a model
    /// trained on the other folds ranks the fold's users, and their Recall@20 and NDCG@20 are averaged. No user is
    /// ranked by a model that learned from it. Deterministic for the options' seed.
    /// </summary>
    /// <param name="data">Validation examples (<see cref="PipelineEvaluator.CollectFusionExamplesAsync"/>).</param>
    /// <param name="options">The configuration.</param>
    /// <param name="folds">Folds, at least 2 and at most the users with a held-out item.</param>
    /// <exception cref="RecFrameworkException">Fewer users with a held-out item than folds, or a fold's training part has none among its candidates.</exception>
    public static LearnedFusionCandidate CrossValidate(FusionTrainingSet data, LearnedFusionTrainingOptions options, int folds = DefaultFolds)
    {
        ArgumentNullException.ThrowIfNull(options);
        var users = ScoredUsers(data, folds);
        double recall = 0, ndcg = 0;
        for (var fold = 0; fold < folds; fold++)
        {
            var f = fold;
            var model = Train(new FusionTrainingSet([.. users.Where((_, i) => i % folds != f)], data.Popularity), options);
            foreach (var example in users.Where((_, i) => i % folds == f))
            {
                var ranked = model.Fuse(example.Input, 20).ConvertAll(i => i.ItemId);
                recall += RankingMetrics.Recall(ranked, example.Relevant, 20);
                ndcg += RankingMetrics.Ndcg(ranked, example.Relevant, 20);
            }
        }

        return new LearnedFusionCandidate(options, recall / users.Count, ndcg / users.Count);
    }

    /// <summary>
    /// Chooses the training options on the validation data itself and trains with them: every configuration of
    /// <paramref name="candidates"/> is scored with <see cref="CrossValidate"/>, the one with the highest Recall@20 (then
    /// NDCG@20, then the first) is trained on all of <paramref name="data"/>, and the manifest's
    /// <see cref="LearnedFusionManifest.Selection"/> records every candidate's figures beside the best single channel's.
    /// </summary>
    /// <param name="data">Validation examples.</param>
    /// <param name="candidates">Configurations to compare (e.g. <see cref="LearnedFusionTrainingOptions.SelectionGrid"/>).</param>
    /// <param name="folds">Folds of the cross-validation.</param>
    /// <param name="progress">Receives a line per candidate scored.</param>
    /// <exception cref="RecFrameworkException">As for <see cref="CrossValidate"/> and <see cref="Train"/>.</exception>
    public static LearnedFusionModel TrainSelected(FusionTrainingSet data, IReadOnlyList<LearnedFusionTrainingOptions> candidates, int folds = DefaultFolds, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, "Learned fusion: no training configuration to choose from.");
        }

        var users = ScoredUsers(data, folds);
        // Candidates in parallel (each training is single-threaded and deterministic); reports in completion order.
        var scored = new LearnedFusionCandidate[candidates.Count];
        var gate = new Lock();
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var result = CrossValidate(data, candidates[i], folds);
            scored[i] = result;
            lock (gate)
            {
                progress?.Report(FormattableString.Invariant(
                    $"learned fusion candidate {i + 1}/{candidates.Count} ({result.Options.NegativesPerUser} negatives, {result.Options.Leaves} leaves, {result.Options.Trees} trees): recall@20 {result.RecallAt20:F4}, ndcg@20 {result.NdcgAt20:F4}"));
            }
        });

        var chosen = 0;
        for (var i = 1; i < scored.Length; i++)
        {
            if (scored[i].RecallAt20 > scored[chosen].RecallAt20 || (scored[i].RecallAt20 == scored[chosen].RecallAt20 && scored[i].NdcgAt20 > scored[chosen].NdcgAt20))
            {
                chosen = i;
            }
        }

        var (channel, channelRecall, channelNdcg) = BestChannel(users);
        var model = Train(data, candidates[chosen]);
        var selection = new LearnedFusionSelection
        {
            Folds = folds,
            Users = users.Count,
            BestChannel = channel,
            BestChannelRecallAt20 = channelRecall,
            BestChannelNdcgAt20 = channelNdcg,
            Candidates = scored,
            Chosen = chosen,
        };
        return new LearnedFusionModel(model._ml, model._model, model.Manifest with { Selection = selection }, model._popularity);
    }

    /// <summary>
    /// The fusion-training step of an evaluation (<c>EvaluationRunOptions.TrainFusion</c> of RecFramework.Analysis):
    /// trains on the collected validation examples — with <paramref name="folds"/> ≥ 2, choosing among
    /// <paramref name="options"/>' <see cref="LearnedFusionTrainingOptions.SelectionGrid"/> by
    /// <see cref="TrainSelected"/>; with 0, with <paramref name="options"/> as given — activates the model in the scoring
    /// container's <see cref="LearnedFusion"/> (registered with <see cref="LearnedFusionRecBuilderExtensions.AddLearnedFusion"/>)
    /// and, when <paramref name="saveTo"/> is given, saves it there.
    /// </summary>
    /// <param name="options">Training options (the grid's basis); null for the defaults.</param>
    /// <param name="saveTo">Model folder to write, or null.</param>
    /// <param name="folds">Cross-validation folds for choosing the options; 0 to train with <paramref name="options"/>.</param>
    /// <param name="trained">Called with the trained model (e.g. to print <see cref="LearnedFusionSelection.Describe"/>).</param>
    /// <param name="progress">Receives a line per candidate scored.</param>
    public static Func<FusionTrainingSet, IServiceProvider, CancellationToken, Task> TrainerFor(LearnedFusionTrainingOptions? options, string? saveTo,
        int folds = DefaultFolds, Action<LearnedFusionModel>? trained = null, IProgress<string>? progress = null)
    {
        if (folds is 1 or < 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Learned fusion: {folds} cross-validation folds; give 0 (no choice of options) or at least 2.");
        }

        return (data, services, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var basis = options ?? new LearnedFusionTrainingOptions();
            var model = folds == 0 ? Train(data, basis) : TrainSelected(data, basis.SelectionGrid(), folds, progress);
            if (saveTo is not null)
            {
                model.Save(saveTo);
            }

            (services.GetService(typeof(LearnedFusion)) as LearnedFusion
                ?? throw new RecFrameworkException(RecError.InvalidConfiguration, "The learned fusion is not registered (AddLearnedFusion)."))
                .Activate(model);
            trained?.Invoke(model);
            return Task.CompletedTask;
        };
    }

    private static List<FusionExample> ScoredUsers(FusionTrainingSet data, int folds)
    {
        ArgumentNullException.ThrowIfNull(data);
        var users = data.Examples.Where(e => e.Relevant.Count > 0).ToList();
        if (folds < 2 || users.Count < folds)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"Learned fusion cross-validation: {folds} folds over {users.Count} user(s) with a held-out item; give at least 2 folds and no more folds than users.");
        }

        return users;
    }

    private static (string Channel, double Recall, double Ndcg) BestChannel(List<FusionExample> users)
    {
        var best = (Channel: "", Recall: -1.0, Ndcg: 0.0);
        foreach (var channel in users.SelectMany(e => e.Input.Lists.Select(l => l.Channel)).Distinct(StringComparer.Ordinal))
        {
            double recall = 0, ndcg = 0;
            foreach (var example in users)
            {
                var ranked = example.Input.Lists.FirstOrDefault(l => l.Channel == channel)?.Items.Take(20).Select(i => i.ItemId).ToList() ?? [];
                recall += RankingMetrics.Recall(ranked, example.Relevant, 20);
                ndcg += RankingMetrics.Ndcg(ranked, example.Relevant, 20);
            }

            if (recall / users.Count > best.Recall)
            {
                best = (channel, recall / users.Count, ndcg / users.Count);
            }
        }

        return best;
    }

    /// <summary>The <paramref name="k"/> best candidates of <paramref name="input"/> by the model's score (ties: first seen).</summary>
    public List<RecommendedItem> Fuse(FusionInput input, int k)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (items, features) = LearnedFusionFeatures.Compute(input, Manifest.Channels, _popularity);
        var result = new List<RecommendedItem>(Math.Min(k, items.Length));
        if (items.Length == 0)
        {
            return result;
        }

        var scores = Score(features);
        var order = new int[items.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        foreach (var i in order.Take(k))
        {
            var channels = input.Lists.Where(l => l.Items.Any(s => s.ItemId == items[i])).Select(l => l.Channel).ToArray();
            result.Add(new RecommendedItem(items[i], scores[i], channels));
        }

        return result;
    }

    /// <summary>Model scores of feature vectors (higher is better).</summary>
    internal float[] Score(float[][] features)
    {
        var view = _ml.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }), _schema);
        return [.. _model.Transform(view).GetColumn<float>("Score")];
    }

    /// <summary>Writes the model folder (created if missing; existing files replaced).</summary>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        using (var stream = File.Create(Path.Combine(directory, ModelFile)))
        {
            _ml.Model.Save(_model, _ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), _schema).Schema, stream);
        }

        File.WriteAllText(Path.Combine(directory, PopularityFile), JsonSerializer.Serialize(_popularity.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value)));
        File.WriteAllText(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(Manifest, Json));
    }

    /// <summary>Reads a model folder written by <see cref="Save"/>.</summary>
    /// <exception cref="RecFrameworkException">A file is missing (<see cref="RecError.ArtifactNotFound"/>) or unreadable, of another format, or its features do not match the manifest (<see cref="RecError.ArtifactCorrupt"/>).</exception>
    public static LearnedFusionModel Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        foreach (var file in new[] { ManifestFile, ModelFile, PopularityFile })
        {
            if (!File.Exists(Path.Combine(directory, file)))
            {
                throw new RecFrameworkException(RecError.ArtifactNotFound, $"Learned fusion model '{directory}': {file} is missing.");
            }
        }

        try
        {
            var manifest = JsonSerializer.Deserialize<LearnedFusionManifest>(File.ReadAllText(Path.Combine(directory, ManifestFile)), Json)
                ?? throw new InvalidDataException("empty manifest");
            if (manifest.Format != LearnedFusionManifest.FormatName || manifest.FormatVersion != LearnedFusionManifest.CurrentFormatVersion)
            {
                throw new InvalidDataException($"format {manifest.Format} v{manifest.FormatVersion}, expected {LearnedFusionManifest.FormatName} v{LearnedFusionManifest.CurrentFormatVersion}");
            }

            if (!manifest.Features.SequenceEqual(LearnedFusionFeatures.Names(manifest.Channels), StringComparer.Ordinal))
            {
                throw new InvalidDataException("its features are not the ones this version computes for its channels");
            }

            var popularity = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(directory, PopularityFile)))
                ?? throw new InvalidDataException("empty popularity table");
            var ml = new MLContext(manifest.Options.Seed);
            ITransformer model;
            DataViewSchema schema;
            using (var stream = File.OpenRead(Path.Combine(directory, ModelFile)))
            {
                model = ml.Model.Load(stream, out schema);
            }

            if (schema.GetColumnOrNull(nameof(FeatureRow.Features))?.Type is not VectorDataViewType { Size: var size } || size != manifest.Features.Count)
            {
                throw new InvalidDataException($"the model's input is not a vector of {manifest.Features.Count} features");
            }

            var loaded = new LearnedFusionModel(ml, model, manifest, popularity.ToDictionary(p => long.Parse(p.Key, CultureInfo.InvariantCulture), p => p.Value));
            _ = loaded.Score([new float[manifest.Features.Count]]); // fails here rather than on the first request
            return loaded;
        }
        catch (Exception ex) when (ex is not RecFrameworkException and not OutOfMemoryException)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Learned fusion model '{directory}' cannot be read: {ex.Message}", ex);
        }
    }

    private static SchemaDefinition Schema(int width, bool withLabel = false)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        if (!withLabel)
        {
            // Scoring needs only the features.
            schema.Remove(schema[nameof(FeatureRow.Label)]);
            schema.Remove(schema[nameof(FeatureRow.GroupId)]);
        }

        return schema;
    }

    /// <summary>One training or scoring row.</summary>
    internal sealed class FeatureRow
    {
        public float Label { get; set; }

        public uint GroupId { get; set; }

        public float[] Features { get; set; } = [];
    }
}

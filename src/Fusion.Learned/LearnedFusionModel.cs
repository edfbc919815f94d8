using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RecFramework.Evaluation;
using RecFramework.Pipeline;

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
                ceiling += RecFramework.Evaluation.RankingMetrics.Recall([.. items.OrderByDescending(example.Relevant.Contains)], example.Relevant, 20);
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

    /// <summary>
    /// The fusion-training step of an evaluation (<c>EvaluationRunOptions.TrainFusion</c> of RecFramework.Analysis):
    /// trains on the collected validation examples, activates the model in the scoring container's
    /// <see cref="LearnedFusion"/> (registered with <see cref="LearnedFusionRecBuilderExtensions.AddLearnedFusion"/>)
    /// and, when <paramref name="saveTo"/> is given, saves it there.
    /// </summary>
    /// <param name="options">Training options; null for the defaults.</param>
    /// <param name="saveTo">Model folder to write, or null.</param>
    public static Func<FusionTrainingSet, IServiceProvider, CancellationToken, Task> TrainerFor(LearnedFusionTrainingOptions? options, string? saveTo) =>
        (data, services, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = Train(data, options);
            if (saveTo is not null)
            {
                model.Save(saveTo);
            }

            (services.GetService(typeof(LearnedFusion)) as LearnedFusion
                ?? throw new RecFrameworkException(RecError.InvalidConfiguration, "The learned fusion is not registered (AddLearnedFusion)."))
                .Activate(model);
            return Task.CompletedTask;
        };

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

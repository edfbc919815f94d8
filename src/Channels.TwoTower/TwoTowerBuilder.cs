using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Channels.TwoTower.Training;
using RecFramework.Data;
using RecFramework.Vectors;
using Spectre.Console;

namespace RecFramework.Channels.TwoTower;

/// <summary>
/// Trains the two-tower model and publishes it (weights, vocabularies and normalisers, user and item vectors, the
/// item-vector index, a manifest with the data range and validation metrics). Build parameters: any
/// <see cref="TwoTowerOptions"/> property, plus <c>update</c> = <c>full</c> (warm start from the latest or
/// <c>parent</c> version, one shuffled epoch) or <c>incremental</c> (time-ordered, id embeddings only); an update
/// trains on every event of its data (no validation slice is held out of it); an incremental update is stored as a
/// delta over its parent (<see cref="TwoTowerDelta"/>; <c>delta</c> = <c>false</c>: a whole copy) unless the parent's
/// chain is <c>max_delta_chain</c> (default 8) deltas long;
/// <c>checkpoint_dir</c> and <c>hard_negatives</c> (a "user_id&lt;TAB&gt;item_id" file).
/// </summary>
internal sealed class TwoTowerBuilder(IOptionsMonitor<TwoTowerOptions> options, IVectorIndexFactory indexFactory) : IChannelBuilder, RecFramework.Tuning.ITunableChannelBuilder
{
    /// <inheritdoc />
    public RecFramework.Tuning.TuningSpace TuningSpace => TwoTowerOptions.SearchSpace;

    /// <inheritdoc />
    public Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var update = context.Parameters.GetValueOrDefault("update", "none").ToLowerInvariant();
        if (update is not ("none" or "full" or "incremental"))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Two-tower parameter 'update' must be none, full or incremental; got '{update}'.");
        }

        TwoTowerArtifact? parent = null;
        ArtifactHandle? parentHandle = null;
        if (update != "none")
        {
            parentHandle = context.Store.Open(context.Channel, context.Parameters.GetValueOrDefault("parent"));
            parent = TwoTowerArtifact.Load(parentHandle.Directory, indexFactory: null, parentHandle.Manifest.Version);
        }

        var parentLoadSeconds = watch.Elapsed.TotalSeconds;

        try
        {
            // A warm start keeps the parent's structure (dimensions, encoders); parameters still override training knobs.
            var effective = TwoTowerOptionOverrides.Apply(parent?.Options ?? options.Get(context.Channel), context.Parameters);
            if (parent is not null)
            {
                // An update trains on every event of its period, the newest first of all: holding out each user's
                // latest positives as a validation slice would skip exactly the events the update exists for.
                effective.ValidationFraction = 0;
            }

            var settings = new TrainerSettings
            {
                Seed = context.Seed,
                TimeOrdered = update == "incremental",
                IdEmbeddingsOnly = update == "incremental",
                Epochs = update != "none" && !context.Parameters.Keys.Any(k => TwoTowerOptionOverrides.Normalize(k) == "epochs") ? 1 : null,
                CheckpointDirectory = context.Parameters.GetValueOrDefault("checkpoint_dir"),
                HardNegatives = context.Parameters.TryGetValue("hard_negatives", out var hardPath) ? ReadHardNegatives(hardPath) : null,
                Cancellation = cancellationToken,
            };
            // An incremental update is stored as a delta over its parent (delta=false: a whole copy) unless the parent's
            // chain of deltas is already max_delta_chain long: then this update is stored whole and starts a new chain.
            var parentDelta = parentHandle is null ? null : TwoTowerDelta.ReadInfo(parentHandle.Directory);
            var deltaParameter = context.Parameters.GetValueOrDefault("delta", "true").ToLowerInvariant();
            if (deltaParameter is not ("true" or "false"))
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"Two-tower parameter 'delta' must be true or false; got '{deltaParameter}'.");
            }

            var asDelta = update == "incremental" && parent?.Model is not null && deltaParameter == "true"
                && (parentDelta?.Depth ?? 0) < TwoTowerDelta.MaxChain(context.Parameters);
            var draft = context.Store.CreateDraft(context.Channel);
            var trainWatch = Stopwatch.StartNew();
            var result = Train(context.Data, effective, settings, parent, context.Progress);
            var trainSeconds = trainWatch.Elapsed.TotalSeconds;
            var metrics = Publish(draft.Directory, result, context.Data.Items, effective, indexFactory, context.Seed, writeIndex: !asDelta);
            // Where a build's time went besides the epochs (epoch_s × epochs_run) and the export (export_index_seconds):
            // reading the parent (updates), preparing the data and the model around the epochs, writing the model.
            if (parent is not null)
            {
                metrics["parent_load_seconds"] = parentLoadSeconds;
            }

            metrics["train_seconds"] = trainSeconds;
            var delta = asDelta ? TwoTowerDelta.Write(draft.Directory, parentHandle!.Directory, parent!, result.Model, result.Set.Users, result.Set.UserRows, context.Seed) : null;
            if (asDelta && delta is null)
            {
                // The model changed in a way rows cannot express: publish the whole version after all.
                var (dimension, ids, vectors) = VectorFile.Read(Path.Combine(draft.Directory, TwoTowerArtifact.ItemVectorsFile));
                using var index = indexFactory.Build(effective.IndexDescription, dimension, vectors, ids, context.Seed);
                index.Save(Path.Combine(draft.Directory, TwoTowerArtifact.IndexFile));
            }

            var deltaProperties = delta is null ? new Dictionary<string, string>() : new Dictionary<string, string>
            {
                [TwoTowerDelta.DeltaOfProperty] = delta.Parent,
                [TwoTowerDelta.BaseProperty] = delta.Base,
                ["delta_depth"] = delta.Depth.ToString(CultureInfo.InvariantCulture),
            };
            using (result.Model)
            {
                var (from, to) = result.Set.Range;
                metrics["build_seconds"] = watch.Elapsed.TotalSeconds;
                var manifest = new ArtifactManifest
                {
                    Channel = context.Channel,
                    Version = draft.Version,
                    Dataset = context.Data.Name,
                    DataFrom = from,
                    DataTo = to,
                    Data = RecFramework.Data.DataFingerprint.Of(context.Data),
                    Parent = parentHandle?.Manifest.Version,
                    Metrics = metrics,
                    Properties =
                    {
                        ["update"] = update,
                        ["validation"] = parent is null && effective.ValidationFraction > 0 ? "latest positives per user" : "none",
                        ["mode"] = effective.Mode.ToString(),
                        ["logq"] = effective.LogQCorrection.ToString(CultureInfo.InvariantCulture),
                        ["index"] = effective.IndexDescription,
                        ["index_factory"] = indexFactory.GetType().Name,
                        ["seed"] = context.Seed.ToString(CultureInfo.InvariantCulture),
                    },
                };
                foreach (var (key, value) in deltaProperties)
                {
                    manifest.Properties[key] = value;
                }

                return Task.FromResult(context.Store.Publish(draft, manifest));
            }
        }
        finally
        {
            parent?.Dispose();
        }
    }

    /// <summary>Above this many id-table rows, training with dense Adam is reported as slow (each step touches every row).</summary>
    internal const long DenseTableRowsHint = 200_000;

    /// <summary>The outcome of <see cref="Train"/>.</summary>
    internal sealed record TrainResult(TwoTowerModel Model, TrainingSet Set, TrainingReport Report);

    /// <summary>
    /// One training at a time per process: libtorch's random generator (weight initialisation, id dropout, SSL masks)
    /// and its thread count are process-wide, so two trainings running at once would draw from each other's seeded
    /// stream and neither would be reproducible. With the gate, a seed gives the same model whatever else trains in
    /// the process (a build already uses every core it is given, so running two at once would gain nothing).
    /// </summary>
    internal static readonly Lock TrainingGate = new();

    /// <summary>Prepares the data (extending the parent's encoders when given), builds or warm-starts the model and trains it.</summary>
    internal static TrainResult Train(InteractionDataset data, TwoTowerOptions options, TrainerSettings settings, TwoTowerArtifact? parent, IProgress<BuildProgress>? progress)
    {
        lock (TrainingGate)
        {
            return TrainAlone(data, options, settings, parent, progress);
        }
    }

    private static TrainResult TrainAlone(InteractionDataset data, TwoTowerOptions options, TrainerSettings settings, TwoTowerArtifact? parent, IProgress<BuildProgress>? progress)
    {
        var steps = new StepClock();
        var positives = TrainingSet.PositivesOf(data);
        steps.Lap("positives");
        var userEncoder = parent is null ? null : WarmStart.Extend(parent.UserEncoder, positives.Select(e => e.UserId));
        // With IndexColdItems an update indexes the items only the profile table knows too, as a fresh build does: they
        // join the vocabulary (otherwise a new item without events would stay out of every warm-started version's index).
        var newItems = options.IndexColdItems ? positives.Select(e => e.ItemId).Concat(data.Items.All.Select(p => p.Id)) : positives.Select(e => e.ItemId);
        var itemEncoder = parent is null ? null : WarmStart.Extend(parent.ItemEncoder ?? throw new InvalidOperationException("A parent artifact is loaded with its item encoder."), newItems);
        steps.Lap("encoders");
        var set = TrainingSet.Create(data, options, userEncoder, itemEncoder, options.ExcludedFeatureSet());
        steps.Lap("training_set");
        var tableRows = set.UserEncoder.IdSlots + set.ItemEncoder.IdSlots;
        if (!options.SparseEmbeddings && tableRows > DenseTableRowsHint)
        {
            progress?.Report(new BuildProgress(0, $"{tableRows:N0} embedding rows trained by dense Adam: every step rewrites the whole tables; set SparseEmbeddings=true for vocabularies this large"));
        }

        Trainer.ConfigureThreads(options.Threads);
        TorchSharp.torch.manual_seed(settings.Seed);
        var model = new TwoTowerModel(TowerShape.Of(set.UserEncoder), TowerShape.Of(set.ItemEncoder), options);
        steps.Lap("model");
        if (parent is not null)
        {
            WarmStart.Copy(parent.Model ?? throw new InvalidOperationException("A parent artifact is loaded with both towers."), model);
            steps.Lap("warm_start");
            var seeded = WarmStart.SeedNewItemRows(model, set, parent.ItemEncoder!.IdSlots);
            steps.Lap("seed_new_items");
            if (seeded > 0)
            {
                progress?.Report(new BuildProgress(0, $"{seeded:N0} new items start from the mean row of the items their users clicked"));
            }
        }

        steps.Skip();
        var report = RunOrDispose(model, () => RunTrainer(model, set, options, settings, "training", progress));
        report = report with { PreparationSeconds = steps.Seconds(report.PreparationSeconds) };
        if (!options.Refit || settings.Epochs is not null || set.Validation.Count == 0 || double.IsNaN(report.BestValidationRecall))
        {
            return new TrainResult(model, set, report);
        }

        // Refit: the epoch count chosen on the validation slice, a fresh model, every training positive.
        var full = options.Clone();
        full.ValidationFraction = 0;
        var refitSteps = new StepClock();
        var refitSet = TrainingSet.Create(data, full, set.UserEncoder, set.ItemEncoder, options.ExcludedFeatureSet());
        refitSteps.Lap("training_set");
        model.Dispose();
        TorchSharp.torch.manual_seed(settings.Seed);
        var refitModel = new TwoTowerModel(TowerShape.Of(refitSet.UserEncoder), TowerShape.Of(refitSet.ItemEncoder), full);
        refitSteps.Lap("model");
        var refit = RunOrDispose(refitModel, () => RunTrainer(refitModel, refitSet, full, settings with { Epochs = report.BestEpoch }, "refit", progress));
        return new TrainResult(refitModel, refitSet, refit with
        {
            PreparationSeconds = StepClock.Sum(report.PreparationSeconds, refitSteps.Seconds(refit.PreparationSeconds)),
            BestEpoch = report.BestEpoch,
            BestValidationRecall = report.BestValidationRecall,
            EpochValidationRecall = report.EpochValidationRecall,
            EpochsRun = report.EpochsRun,
            RefitEpochs = refit.EpochsRun,
        });
    }

    /// <summary>Runs <paramref name="train"/>; a cancelled or failed run frees the model's native tensors at once.</summary>
    private static TrainingReport RunOrDispose(TwoTowerModel model, Func<TrainingReport> train)
    {
        try
        {
            return train();
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static TrainingReport RunTrainer(TwoTowerModel model, TrainingSet set, TwoTowerOptions options, TrainerSettings settings, string stage, IProgress<BuildProgress>? progress)
    {
        string Status(TrainingStatus s) => $"{stage} epoch {s.Epoch}/{s.Epochs} loss {s.Loss:F4} {s.ExamplesPerSecond:F0} ex/s val R@20 {s.ValidationRecall:F4}";
        void Report(TrainingStatus s) => progress?.Report(new BuildProgress(s.Fraction, Status(s)));
        if (!options.ShowProgress)
        {
            return new Trainer(model, set, options, settings with { Progress = Report }).Train();
        }

        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(stage, maxValue: 1.0);
                return new Trainer(model, set, options, settings with
                {
                    Progress = s =>
                    {
                        Report(s);
                        task.Value = s.Fraction;
                        task.Description = Markup.Escape(Status(s));
                    },
                }).Train();
            });
    }

    /// <summary>Writes the model, vectors and index into <paramref name="directory"/>; returns the manifest metrics.</summary>
    internal static Dictionary<string, double> Publish(string directory, TrainResult result, ProfileTable itemProfiles, TwoTowerOptions options, IVectorIndexFactory indexFactory, int seed, bool writeIndex = true)
    {
        var (model, set, report) = result;
        var writeWatch = Stopwatch.StartNew();
        TwoTowerArtifact.WriteModel(directory, options, set.UserEncoder, set.ItemEncoder, model, set.Users, set.UserRows);
        var writeSeconds = writeWatch.Elapsed.TotalSeconds;
        var indexWatch = Stopwatch.StartNew();
        var userVectors = TowerInference.Export(model.User, set.UserRows);
        VectorFile.Write(Path.Combine(directory, TwoTowerArtifact.UserVectorsFile), options.Dimension, set.Users, userVectors);
        var userExportSeconds = indexWatch.Elapsed.TotalSeconds;

        // Index every item of the (possibly extended) vocabulary so a warm-started version keeps serving old items.
        var items = set.ItemEncoder.IdHashBuckets == 0 ? set.ItemEncoder.IdVocabulary : set.Items;
        var rows = items == set.Items ? set.ItemRows : set.ItemEncoder.Encode(items, id => itemProfiles.TryGet(id, out var p) ? p : null);

        var itemVectors = TowerInference.Export(model.Item, rows);
        VectorFile.Write(Path.Combine(directory, TwoTowerArtifact.ItemVectorsFile), options.Dimension, items, itemVectors);
        var itemExportSeconds = indexWatch.Elapsed.TotalSeconds - userExportSeconds;
        var indexSeconds = double.NaN;
        if (writeIndex)
        {
            var indexStart = indexWatch.Elapsed.TotalSeconds;
            using var index = indexFactory.Build(options.IndexDescription, options.Dimension, itemVectors, items, seed);
            index.Save(Path.Combine(directory, TwoTowerArtifact.IndexFile));
            indexSeconds = indexWatch.Elapsed.TotalSeconds - indexStart;
        }

        var metrics = new Dictionary<string, double>
        {
            ["validation_recall@20"] = report.BestValidationRecall,
            ["best_epoch"] = report.BestEpoch,
            ["epochs_run"] = report.EpochsRun,
            ["refit_epochs"] = report.RefitEpochs,
            ["train_loss"] = report.FinalLoss,
            ["examples"] = report.Examples,
            ["examples_per_s"] = report.ExamplesPerSecond,
            ["epoch_s"] = report.SecondsPerEpoch,
            ["users"] = set.Users.Length,
            ["items"] = items.Length,
            ["export_index_seconds"] = indexWatch.Elapsed.TotalSeconds,
            ["export_users_seconds"] = userExportSeconds,
            ["export_items_seconds"] = itemExportSeconds,
            ["index_build_seconds"] = indexSeconds,
            ["model_write_seconds"] = writeSeconds,
            ["train_distinct_item_share"] = report.DistinctItemShare,
        };
        foreach (var (phase, seconds) in report.PhaseSeconds)
        {
            metrics["train_phase_s_" + phase] = seconds;
        }

        foreach (var (step, seconds) in report.PreparationSeconds)
        {
            metrics["prepare_s_" + step] = seconds;
        }

        return metrics.Where(kv => !double.IsNaN(kv.Value)).ToDictionary();
    }

    /// <summary>Reads a hard-negative file: one "user_id&lt;TAB&gt;item_id" line per pair.</summary>
    internal static Dictionary<long, long[]> ReadHardNegatives(string path)
    {
        var result = new Dictionary<long, List<long>>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            var parts = text.Split('\t');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var user) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var item))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{path}:{line}: expected 'user_id<TAB>item_id', got '{text}'.");
            }

            if (!result.TryGetValue(user, out var list))
            {
                result[user] = list = [];
            }

            list.Add(item);
        }

        return result.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }
}

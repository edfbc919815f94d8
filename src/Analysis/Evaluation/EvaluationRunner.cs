using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Evaluation;
using RecFramework.Lifecycle;
using Spectre.Console;

namespace RecFramework.Analysis.Evaluation;

/// <summary>
/// Reusable evaluation (the <c>evaluate</c> and <c>demo</c> commands): splits a dataset with the per-user temporal
/// holdout, builds every requested channel on the train part only through the caller's channel registration, then scores the test
/// users with <see cref="ChannelEvaluator"/> (or, with <see cref="EvaluationRunOptions.Validation"/>, builds on the
/// train part of the train part and scores the validation users). With <see cref="EvaluationRunOptions.Pipeline"/> the
/// pipeline's merged answer of those channels is scored too (<see cref="PipelineEvaluator"/>).
/// </summary>
public static class EvaluationRunner
{
    /// <summary>Loads <paramref name="dataPath"/> (see <see cref="DatasetLoader"/>) and evaluates it.</summary>
    public static Task<EvaluationReport> RunAsync(string dataPath, EvaluationRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataPath);
        return RunAsync(DatasetLoader.Load(dataPath), options, cancellationToken);
    }

    /// <summary>Evaluates every channel of <paramref name="options"/> on <paramref name="data"/>.</summary>
    /// <exception cref="RecFrameworkException">A channel is unknown, or a build fails.</exception>
    public static async Task<EvaluationReport> RunAsync(InteractionDataset data, EvaluationRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Channels.Count == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, "No channel to evaluate (--channels is empty).");
        }

        if (options.ShuffleTimeSeed is { } shuffleSeed)
        {
            data = data.WithShuffledTimestamps(shuffleSeed);
        }

        var split = options.Validation ? TemporalSplit.SplitForValidation(data, options.TestFraction) : TemporalSplit.Split(data, options.TestFraction);
        if (split.Test.Count == 0)
        {
            // A header-only or one-row file would otherwise report a table of zeros as if it were a result.
            throw new RecFrameworkException(RecError.MalformedInput,
                $"Dataset '{data.Name}' has no user to evaluate: {data.Interactions.Length} interaction(s), and no user has enough positive ones to hold some out " +
                "(one to train on, one to test). Give a larger dataset.");
        }

        if (options.Pipeline && options.Channels.Contains(PipelineEvaluator.Name, StringComparer.Ordinal))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"--pipeline reports the merged answer as '{PipelineEvaluator.Name}': a channel of that name cannot be evaluated with it.");
        }

        if (options.TrainFusion is not null && (!options.Pipeline || options.Validation))
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                "A fusion is trained on the validation split and scored on the test part: it needs --pipeline and cannot be used with --validation.");
        }

        foreach (var channel in options.Channels)
        {
            _ = BuildParameters.For(channel, options.BuildParameters, options.Channels); // a bad prefix fails before any build
        }

        var temporary = options.ArtifactsDirectory is null;
        var artifacts = options.ArtifactsDirectory ?? Path.Combine(Path.GetTempPath(), "recfw-eval-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (services, _) = AnalysisServices.Compose(options.Configuration, options.ConfigFile, artifacts, options.ConfigureServices, WithPipelineTimeout(options.Overrides));
            await using var provider = services.BuildServiceProvider();
            await provider.ValidateRecFrameworkAsync(cancellationToken).ConfigureAwait(false);
            var catalog = provider.GetRequiredService<ChannelCatalog>();
            foreach (var channel in options.Channels)
            {
                if (!catalog.Contains(channel))
                {
                    throw new RecFrameworkException(RecError.UnknownChannel,
                        $"Channel '{channel}' is not registered (registered: {string.Join(", ", catalog.Names)}).");
                }
            }

            var results = new List<ChannelEvaluation>();
            if (options.ShowProgress && AnsiConsole.Profile.Capabilities.Interactive)
            {
                await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
                {
                    foreach (var channel in options.Channels)
                    {
                        var build = ctx.AddTask($"{channel}: build", maxValue: 1);
                        var score = ctx.AddTask($"{channel}: score", maxValue: Math.Max(1, split.Test.Count));
                        var evaluation = await EvaluateAsync(provider, channel, split, options,
                            new Progress<BuildProgress>(p => build.Value = Math.Clamp(p.Fraction, 0, 1)),
                            new Progress<EvaluationProgress>(p => { build.Value = 1; score.Value = p.Done; }), cancellationToken).ConfigureAwait(false);
                        build.Value = 1;
                        score.Value = score.MaxValue;
                        results.Add(evaluation);
                    }

                    if (options.Pipeline)
                    {
                        if (options.TrainFusion is not null)
                        {
                            var train = ctx.AddTask("fusion: build channels on the validation split and train", maxValue: 1);
                            await TrainFusionAsync(data, provider, options, cancellationToken).ConfigureAwait(false);
                            train.Value = 1;
                        }

                        var score = ctx.AddTask($"{PipelineEvaluator.Name}: score", maxValue: Math.Max(1, split.Test.Count));
                        results.Add(await EvaluatePipelineAsync(provider, split, options, new Progress<EvaluationProgress>(p => score.Value = p.Done), cancellationToken).ConfigureAwait(false));
                        score.Value = score.MaxValue;
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                foreach (var channel in options.Channels)
                {
                    if (options.ShowProgress)
                    {
                        AnsiConsole.MarkupLine($"evaluating [bold]{Markup.Escape(channel)}[/] on {split.Test.Count:N0} {(split.Validation ? "validation" : "test")} users…");
                    }

                    results.Add(await EvaluateAsync(provider, channel, split, options, null, null, cancellationToken).ConfigureAwait(false));
                }

                if (options.Pipeline)
                {
                    if (options.TrainFusion is not null)
                    {
                        if (options.ShowProgress)
                        {
                            AnsiConsole.MarkupLine("training the fusion on the validation split…");
                        }

                        await TrainFusionAsync(data, provider, options, cancellationToken).ConfigureAwait(false);
                    }

                    if (options.ShowProgress)
                    {
                        AnsiConsole.MarkupLine($"evaluating the [bold]{PipelineEvaluator.Name}[/]'s merged answer of {Markup.Escape(string.Join(", ", options.Channels))}…");
                    }

                    results.Add(await EvaluatePipelineAsync(provider, split, options, null, cancellationToken).ConfigureAwait(false));
                }
            }

            return new EvaluationReport(data.Name, split.Protocol, split.Test.Count, split.TrainItemCount, results);
        }
        finally
        {
            if (temporary && Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }
    }

    /// <summary>
    /// The caller's overrides over a pipeline request timeout of <see cref="PipelineEvaluator.TimeoutMs"/>: offline
    /// figures must not depend on how busy the machine is (only the pipeline evaluation reads it).
    /// </summary>
    private static Dictionary<string, string?> WithPipelineTimeout(IReadOnlyDictionary<string, string?> overrides)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["RecFramework:Pipeline:RequestTimeoutMs"] = PipelineEvaluator.TimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides)
        {
            result[key] = value;
        }

        return result;
    }

    private static Task<ChannelEvaluation> EvaluatePipelineAsync(IServiceProvider provider, DatasetSplit split, EvaluationRunOptions options,
        IProgress<EvaluationProgress>? score, CancellationToken cancellationToken) =>
        PipelineEvaluator.EvaluateAsync(provider, options.Channels, split, new EvaluationOptions
        {
            Ks = options.Ks,
            Seed = options.Seed,
            Parallelism = Math.Max(1, Environment.ProcessorCount),
            Progress = score,
            Fusion = options.PipelineFusion,
        }, cancellationToken);

    /// <summary>
    /// Builds the channels on the train part of the validation split in a container of its own, collects the fusion's
    /// inputs for the validation users and hands them to <see cref="EvaluationRunOptions.TrainFusion"/> with
    /// <paramref name="testServices"/>.
    /// </summary>
    private static async Task TrainFusionAsync(InteractionDataset data, IServiceProvider testServices, EvaluationRunOptions options, CancellationToken cancellationToken)
    {
        var validation = TemporalSplit.SplitForValidation(data, options.TestFraction);
        if (validation.Test.Count == 0)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Dataset '{data.Name}' has no validation user to train a fusion on.");
        }

        var artifacts = Path.Combine(Path.GetTempPath(), "recfw-fusion-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (services, _) = AnalysisServices.Compose(options.Configuration, options.ConfigFile, artifacts, options.ConfigureServices, WithPipelineTimeout(options.Overrides));
            await using var provider = services.BuildServiceProvider();
            await provider.ValidateRecFrameworkAsync(cancellationToken).ConfigureAwait(false);
            var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
            foreach (var channel in options.Channels)
            {
                if (lifecycle.Builder(channel) is not null)
                {
                    await lifecycle.BuildAndActivateAsync(channel, validation.Train, new ChannelBuildSettings
                    {
                        Seed = options.Seed,
                        Parameters = BuildParameters.For(channel, options.BuildParameters, options.Channels),
                    }, cancellationToken).ConfigureAwait(false);
                }
            }

            var examples = await PipelineEvaluator.CollectFusionExamplesAsync(provider, options.Channels, validation, new EvaluationOptions
            {
                Ks = options.Ks,
                Seed = options.Seed,
                Parallelism = Math.Max(1, Environment.ProcessorCount),
            }, cancellationToken).ConfigureAwait(false);
            await options.TrainFusion!(examples, testServices, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }
    }

    private static Task<ChannelEvaluation> EvaluateAsync(IServiceProvider provider, string channel, DatasetSplit split, EvaluationRunOptions options,
        IProgress<BuildProgress>? build, IProgress<EvaluationProgress>? score, CancellationToken cancellationToken) =>
        ChannelEvaluator.EvaluateAsync(provider, channel, split, new EvaluationOptions
        {
            Ks = options.Ks,
            Seed = options.Seed,
            BuildParameters = BuildParameters.For(channel, options.BuildParameters, options.Channels),
            Parallelism = Math.Max(1, Environment.ProcessorCount),
            BuildProgress = build,
            Progress = score,
        }, cancellationToken);
}

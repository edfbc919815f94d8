using System.CommandLine;
using System.Globalization;
using RecFramework.Analysis.Evaluation;
using RecFramework.Diagnostics;
using RecFramework.Fusion.Learned;
using RecFramework.Pipeline;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>evaluate --data PATH --channels a,b [--k 20,50] [--json PATH] [--config FILE] [--seed N] [--artifacts DIR]
/// [--set [channel.]NAME=VALUE]… [--validation] [--pipeline [--fusion NAME [--fusion-model DIR] [--fusion-folds N]]] [--shuffle-time SEED]</c>: builds each channel on the train part of a per-user
/// temporal holdout and scores the test part (with <c>--validation</c>: the same split of the train part, for tuning;
/// with <c>--pipeline</c>: also the recall pipeline's merged answer of those channels, as entry <c>pipeline</c>).
/// </summary>
public sealed class EvaluateCommand : ICliCommand
{
    /// <summary>The <c>evaluate</c> verb.</summary>
    public Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset: a MovieLens-100K folder, a folder with interactions.csv|tsv, or one interaction file.", Required = true };
        var channels = new Option<string>("--channels") { Description = "Comma-separated channel names.", DefaultValueFactory = _ => "popular" };
        var ks = new Option<string>("--k") { Description = "Comma-separated cut-offs.", DefaultValueFactory = _ => "20,50" };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this path." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format)." };
        var seed = new Option<int>("--seed") { Description = "Seed for every builder.", DefaultValueFactory = _ => 42 };
        var artifacts = new Option<string?>("--artifacts") { Description = "Keep the built artifacts in this directory (default: a temporary directory, deleted)." };
        var parameters = new Option<string[]>("--set")
        {
            Description = "Builder option override NAME=VALUE for every channel, or channel.NAME=VALUE for one (repeatable), e.g. --set itemcf.LastN=30.",
            AllowMultipleArgumentsPerToken = true,
        };
        var validation = new Option<bool>("--validation") { Description = "Score a validation split cut from the train part instead of the test part (for choosing options)." };
        var pipeline = new Option<bool>("--pipeline")
        {
            Description = "Also score the recall pipeline's merged answer of the channels (configured quotas, weights, fusion, filters and fallback fill), reported as 'pipeline'.",
        };
        var fusion = new Option<string?>("--fusion")
        {
            Description = "With --pipeline: the fusion asked for (ReciprocalRank, WeightedScore, RoundRobin, Learned). Learned first trains the learned fusion on the validation split.",
        };
        var fusionModel = new Option<string?>("--fusion-model") { Description = "With --fusion Learned: also save the trained fusion model to this folder (RecFramework:Fusion:Learned:ModelPath)." };
        var fusionFolds = new Option<int>("--fusion-folds")
        {
            Description = "With --fusion Learned: cross-validation folds over the validation users for choosing the fusion's training options (0: train with the defaults).",
            DefaultValueFactory = _ => LearnedFusionModel.DefaultFolds,
        };
        var shuffleTime = new Option<int?>("--shuffle-time") { Description = "Permute each user's timestamps with this seed before the split (a per-user random holdout)." };
        var command = new Command("evaluate", "Build channels on the train part of a per-user temporal holdout (20%) and report Recall/NDCG/HitRate/Coverage@K on the test part.")
        {
            data, channels, ks, json, config, seed, artifacts, parameters, validation, pipeline, shuffleTime, fusion, fusionModel, fusionFolds,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var mode = result.GetValue(fusion) is { } name
                ? Enum.TryParse<FusionMode>(name, ignoreCase: true, out var m) && Enum.IsDefined(m) ? m
                    : throw new RecFrameworkException(RecError.InvalidArgument, $"--fusion: '{name}' is not one of {string.Join(", ", Enum.GetNames<FusionMode>())}.")
                : (FusionMode?)null;
            var options = new EvaluationRunOptions
            {
                Channels = SplitList(result.GetValue(channels)!, "--channels"),
                Ks = ParseKs(result.GetValue(ks)!),
                ConfigFile = result.GetValue(config),
                Configuration = HostComposition.LoadConfiguration(),
                ConfigureServices = b => { HostComposition.AddHostChannels(b); b.AddLearnedFusion(); },
                PipelineFusion = mode,
                TrainFusion = mode == FusionMode.Learned
                    ? LearnedFusionModel.TrainerFor(new LearnedFusionTrainingOptions { Seed = result.GetValue(seed) }, result.GetValue(fusionModel), result.GetValue(fusionFolds),
                        model => AnsiConsole.MarkupLine(Markup.Escape(model.Manifest.Selection?.Describe() ?? "learned fusion: trained with the default options (--fusion-folds 0)")),
                        new InlineProgress<string>(line => AnsiConsole.MarkupLine(Markup.Escape(line))))
                    : null,
                Seed = result.GetValue(seed),
                ArtifactsDirectory = result.GetValue(artifacts),
                BuildParameters = BuildParameters.Parse(result.GetValue(parameters) ?? []),
                Validation = result.GetValue(validation),
                Pipeline = result.GetValue(pipeline),
                ShuffleTimeSeed = result.GetValue(shuffleTime),
            };
            var report = await EvaluationRunner.RunAsync(result.GetValue(data)!, options, cancellationToken).ConfigureAwait(false);
            AnsiConsole.WriteLine(report.Heading);
            AnsiConsole.Write(report.ToTable());
            if (result.GetValue(json) is { } path)
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (directory is not null)
                {
                    Directory.CreateDirectory(directory);
                }

                await File.WriteAllTextAsync(path, report.ToJson() + "\n", cancellationToken).ConfigureAwait(false);
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(path)}[/]");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Parses "20,50" into cut-offs.</summary>
    /// <exception cref="RecFrameworkException">A value is not a positive integer.</exception>
    public static IReadOnlyList<int> ParseKs(string value)
    {
        var list = new List<int>();
        foreach (var part in SplitList(value, "--k"))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) || k <= 0)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"--k: '{part}' is not a positive integer.");
            }

            list.Add(k);
        }

        return list;
    }

    private static string[] SplitList(string value, string option)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 ? parts : throw new RecFrameworkException(RecError.InvalidArgument, $"{option}: no value given ('{value}').");
    }
}

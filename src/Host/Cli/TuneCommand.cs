using System.CommandLine;
using RecFramework.Analysis.Tuning;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>tune --data PATH --channels a,b [--budget N] [--seed S] [--shuffle-time SEED] [--json PATH] [--artifacts DIR] [--config FILE]</c>:
/// per channel, a seeded random search with successive halving over its declared options on the inner validation
/// split (<see cref="ChannelTuner"/>); prints default and tuned validation Recall@20 and the chosen options.
/// </summary>
public sealed class TuneCommand : ICliCommand
{
    /// <summary>The <c>tune</c> verb.</summary>
    public Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset: a MovieLens-100K folder, a folder with interactions.csv|tsv, or one interaction file.", Required = true };
        var channels = new Option<string>("--channels") { Description = "Comma-separated channel names to tune.", Required = true };
        var budget = new Option<int>("--budget") { Description = "Random configurations per channel (the defaults always run too).", DefaultValueFactory = _ => 12 };
        var seed = new Option<int>("--seed") { Description = "Seed of the draws, the user subsamples and every build.", DefaultValueFactory = _ => 42 };
        var shuffleTime = new Option<int?>("--shuffle-time") { Description = "Permute each user's timestamps with this seed before the split." };
        var json = new Option<string?>("--json") { Description = "Also write the results (with every trial) as JSON to this path." };
        var artifacts = new Option<string?>("--artifacts") { Description = "Build each channel's choice on the whole dataset into this artifact store, recording it in the manifest." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format)." };
        var command = new Command("tune", "Tune each channel's builder options on the inner validation split (random search with successive halving; objective Recall@20).")
        {
            data, channels, budget, seed, shuffleTime, json, artifacts, config,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var tuning = await ChannelTuner.RunAsync(result.GetValue(data)!, new TuningOptions
            {
                Channels = result.GetValue(channels)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Budget = result.GetValue(budget),
                Seed = result.GetValue(seed),
                ShuffleTimeSeed = result.GetValue(shuffleTime),
                ArtifactsDirectory = result.GetValue(artifacts),
                ConfigFile = result.GetValue(config),
                Configuration = HostComposition.LoadConfiguration(),
                ConfigureServices = HostComposition.AddHostChannels,
            }, cancellationToken).ConfigureAwait(false);
            AnsiConsole.WriteLine(tuning.Heading);
            AnsiConsole.Write(tuning.ToTable());
            await tuning.WriteJsonAsync(result.GetValue(json), cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}

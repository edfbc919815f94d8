using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Analysis.Evaluation;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Diagnostics;
using RecFramework.Lifecycle;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>build &lt;channel&gt;</c>: loads a dataset (a data set path, or with <c>--from-log</c> a time window of the
/// service's event log), runs the keyed <see cref="IChannelBuilder"/> of any registered
/// channel (itemcf, swing, usercf, popular, …) with a progress bar, and prints the published artifact.
/// </summary>
internal sealed class BuildCommand : ICliCommand
{
    public Command Create()
    {
        var channel = new Argument<string>("channel") { Description = "Channel to build (a registered channel with a builder: itemcf, swing, usercf, popular, …)." };
        var data = new Option<string?>("--data") { Description = "Dataset: an ML-100K folder or an interaction file. With --from-log: the data set giving profile schemas and profiles (its events are not used)." };
        var fromLog = new Option<bool>("--from-log") { Description = "Build from a time window of the event log (RecFramework:Stores:EventsPath, or the Redis stream when Redis is configured)." };
        var since = new Option<string?>("--since") { Description = "With --from-log: start of the window, a duration back from now (30m, 24h, 7d) or a time (unix seconds, ISO-8601). Default 24h." };
        var until = new Option<string?>("--until") { Description = "With --from-log: end of the window (exclusive), a duration back from now or a time. Default now." };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact store root (overrides RecFramework:Artifacts:Root)." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format)." };
        var seed = new Option<int>("--seed") { Description = "Seed for everything random in the build.", DefaultValueFactory = _ => 42 };
        var parameters = new Option<string[]>("--set") { Description = "Builder option override NAME=VALUE (repeatable), e.g. --set Neighbours=50.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("build", "Build and publish a channel's artifact from a dataset.") { channel, data, fromLog, since, until, artifacts, config, seed, parameters };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var overrides = new Dictionary<string, string?>();
            if (result.GetValue(artifacts) is { } root)
            {
                overrides["RecFramework:Artifacts:Root"] = root;
            }

            var configuration = HostComposition.LoadConfiguration(result.GetValue(config), overrides);
            var services = new ServiceCollection();
            services.AddRecFrameworkHost(configuration);
            await using var provider = services.BuildServiceProvider();
            await provider.ValidateRecFrameworkAsync(cancellationToken).ConfigureAwait(false);
            var name = result.GetValue(channel)!;
            var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
            if (lifecycle.Builder(name) is null)
            {
                throw new RecFrameworkException(RecError.UnknownChannel, $"Channel '{name}' has no registered builder (registered channels: {string.Join(", ", lifecycle.Channels)}).");
            }

            var dataPath = result.GetValue(data);
            InteractionDataset dataset;
            if (result.GetValue(fromLog))
            {
                var profiles = dataPath is null ? null : DatasetLoader.Load(dataPath);
                dataset = await EventLogInput.LoadAsync(provider, HostComposition.UsesRedis(configuration), result.GetValue(since) ?? "24h", result.GetValue(until), profiles, cancellationToken).ConfigureAwait(false);
            }
            else if (result.GetValue(since) is not null || result.GetValue(until) is not null)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, "--since and --until select a window of the event log: add --from-log.");
            }
            else
            {
                dataset = DatasetLoader.Load(dataPath ?? throw new RecFrameworkException(RecError.InvalidArgument, "Give the data to build from: --data PATH, or --from-log [--since 24h]."));
            }

            var settings = new ChannelBuildSettings { Seed = result.GetValue(seed), Parameters = BuildParameters.Parse(result.GetValue(parameters) ?? []) };
            ArtifactHandle? handle = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progressContext =>
                {
                    var task = progressContext.AddTask(Markup.Escape($"build {name} ({dataset.Name}, {dataset.Interactions.Length:N0} events)"), maxValue: 1);
                    var progress = new InlineProgress<BuildProgress>(p =>
                    {
                        task.Value = Math.Clamp(p.Fraction, 0, 1);
                        task.Description = Markup.Escape($"{name}: {p.Status}");
                    });
                    handle = await lifecycle.BuildAsync(name, dataset, settings with { Progress = progress }, cancellationToken).ConfigureAwait(false);
                    task.Value = 1;
                }).ConfigureAwait(false);
            Print(handle!);
            return 0;
        }));
        return command;
    }

    private static void Print(ArtifactHandle handle)
    {
        var m = handle.Manifest;
        var table = new Table().AddColumn("artifact").AddColumn(Markup.Escape($"{m.Channel}/{m.Version}"));
        table.AddRow("directory", Markup.Escape(handle.Directory));
        table.AddRow("dataset", Markup.Escape(m.Dataset));
        table.AddRow("data range", Markup.Escape($"{DateTimeOffset.FromUnixTimeSeconds(m.DataFrom):u} .. {DateTimeOffset.FromUnixTimeSeconds(m.DataTo):u}"));
        foreach (var (key, value) in m.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape(key), value.ToString("G6", CultureInfo.InvariantCulture));
        }

        foreach (var file in m.Files)
        {
            table.AddRow(Markup.Escape(file.Path), Markup.Escape($"{file.Bytes:N0} bytes, xxh64 {file.XxHash64}"));
        }

        AnsiConsole.Write(table);
    }
}

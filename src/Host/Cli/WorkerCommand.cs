using System.CommandLine;
using Microsoft.Extensions.Hosting;
using RecFramework.Lifecycle;

namespace RecFramework.Host.Cli;

/// <summary><c>worker</c>: runs the model-update worker as its own process, without serving HTTP.</summary>
internal sealed class WorkerCommand : ICliCommand
{
    public Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Start-up data: profile schemas and profiles the updates read beside the event log, and what channels with no published version are built from (relative to the working directory)." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format; relative to the working directory)." };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact store root (overrides RecFramework:Artifacts:Root; relative to the working directory)." };
        var command = new Command("worker", """
            Run the model-update worker (RecFramework:Updates, switched on here) over the configured event log and
            artifact store without serving HTTP: it brings the channels up as serve does, then builds, publishes and
            activates versions on the schedule, holding each channel's lease. Serving replicas with
            RecFramework:Artifacts:WatchSeconds above 0 swap to each version it activates. Ctrl+C or SIGTERM stops it;
            an update cut short publishes nothing (docs/operations.md).
            """) { data, config, artifacts };
        command.SetAction(async (result, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?> { [ModelUpdateOptions.Section + ":Enabled"] = "true" };
            if (result.GetValue(data) is { } path)
            {
                overrides[ChannelStartupOptions.Section + ":DataPath"] = Path.GetFullPath(path);
            }

            if (result.GetValue(artifacts) is { } root)
            {
                overrides[Artifacts.ArtifactStoreOptions.Section + ":Root"] = Path.GetFullPath(root);
            }

            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            builder.Configuration.AddConfiguration(HostComposition.LoadConfiguration(result.GetValue(config), overrides));
            builder.Services.AddRecFrameworkHost(builder.Configuration);
            using var host = builder.Build();
            await host.Services.GetRequiredService<Microsoft.Extensions.Options.IAsyncStartupValidator>().ValidateAsync(cancellationToken).ConfigureAwait(false);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}

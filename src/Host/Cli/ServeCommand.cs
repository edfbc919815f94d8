using System.CommandLine;

namespace RecFramework.Host.Cli;

/// <summary><c>serve</c>: runs the ASP.NET Core recommendation service.</summary>
internal sealed class ServeCommand : ICliCommand
{
    public Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Dataset to seed the online stores from and to build missing versions from (ML-100K folder or interaction file; relative to the working directory)." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format; relative to the working directory)." };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact store root (overrides RecFramework:Artifacts:Root; relative to the working directory)." };
        var urls = new Option<string>("--urls") { Description = "Listen addresses.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var noBuild = new Option<bool>("--no-build") { Description = "Do not build channels that have no published version yet (they stay unready)." };
        var command = new Command("serve", """
            Run the recommendation service. Endpoints: GET /recommend/{userId}?k=, POST /events, GET /experiments,
            GET /experiments/assignment/{userId}, GET /health, GET /ready, GET /metrics, and /admin/* when
            RecFramework:Service:AdminApiKey is set (docs/operations.md). Channels: popular, itemcf, swing, usercf and
            two-tower are registered; at start-up each channel some request can reach (the default plan, the fallback,
            or named by an experiment layer or variant) opens the version recorded as active in the store (else the
            latest published one), or is built from --data when none is published; unreachable channels are skipped
            (RecFramework:Startup:SkipUnreachable). The log
            names each channel's outcome and the resolved paths of the artifacts, event log and exposure log.
            """) { data, config, artifacts, urls, noBuild };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new ServeSettings(result.GetValue(data), result.GetValue(config), !result.GetValue(noBuild), result.GetValue(artifacts));
            await using var app = ServiceApp.Build(["--urls", result.GetValue(urls)!], settings);
            // Options validation before the host starts: a failure then reaches CliApp as the named failures (exit
            // code 2) rather than through the host's "Hosting failed to start" log with its stack trace.
            await app.Services.GetRequiredService<Microsoft.Extensions.Options.IAsyncStartupValidator>().ValidateAsync(cancellationToken).ConfigureAwait(false);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}

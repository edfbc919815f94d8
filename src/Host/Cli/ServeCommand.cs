using System.CommandLine;

namespace RecFramework.Host.Cli;

/// <summary><c>serve</c>: runs the ASP.NET Core recommendation service.</summary>
internal sealed class ServeCommand : ICliCommand
{
    public Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Dataset to seed the online stores from and to build missing artifacts (ML-100K folder or interaction file)." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format)." };
        var urls = new Option<string>("--urls") { Description = "Listen addresses.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var noBuild = new Option<bool>("--no-build") { Description = "Do not build channels that have no artifact yet." };
        var command = new Command("serve", "Run the recommendation service (GET /recommend/{userId}?k=, GET /health).") { data, config, urls, noBuild };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new ServeSettings(result.GetValue(data), result.GetValue(config), !result.GetValue(noBuild));
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

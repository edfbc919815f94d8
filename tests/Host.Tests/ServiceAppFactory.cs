using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace RecFramework.Host.Tests;

/// <summary>Starts the real service app on an in-memory test server with a temp artifact root.</summary>
internal static class ServiceAppFactory
{
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(ServeSettings settings, IDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var app = Build(settings, overrides, builder =>
        {
            builder.WebHost.UseTestServer();
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    /// <summary>Builds (does not start) the app with the test defaults; <paramref name="configure"/> picks the server.</summary>
    public static WebApplication Build(ServeSettings settings, IDictionary<string, string?>? overrides, Action<WebApplicationBuilder> configure)
    {
        var root = Path.Combine(Path.GetTempPath(), "recfw-host-tests", Guid.NewGuid().ToString("N"));
        return ServiceApp.Build([], settings, builder =>
        {
            // Generous timeouts: the tests run on 2 busy cores; timeouts have their own tests in Framework.Tests.
            var values = new Dictionary<string, string?>
            {
                ["RecFramework:Artifacts:Root"] = root,
                ["RecFramework:Stores:EventsPath"] = Path.Combine(root, "events.db"),
                ["RecFramework:ExposureLog:Path"] = Path.Combine(root, "exposures.jsonl"),
                ["RecFramework:ChannelDefaults:TimeoutMs"] = "20000",
                ["RecFramework:Channels:popular:TimeoutMs"] = "20000",
                ["RecFramework:Pipeline:RequestTimeoutMs"] = "60000",
            };
            if (overrides is not null)
            {
                foreach (var (key, value) in overrides)
                {
                    values[key] = value;
                }
            }

            builder.Configuration.AddInMemoryCollection(values);
            configure(builder);
        });
    }
}

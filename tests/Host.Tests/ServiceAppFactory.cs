using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace RecFramework.Host.Tests;

/// <summary>Starts the real service app on an in-memory test server with a temp artifact root.</summary>
internal static class ServiceAppFactory
{
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(ServeSettings settings, IDictionary<string, string?>? overrides = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "recfw-host-tests", Guid.NewGuid().ToString("N"));
        var app = ServiceApp.Build([], settings, builder =>
        {
            builder.WebHost.UseTestServer();
            var values = new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = root };
            if (overrides is not null)
            {
                foreach (var (key, value) in overrides)
                {
                    values[key] = value;
                }
            }

            builder.Configuration.AddInMemoryCollection(values);
        });
        await app.StartAsync();
        return (app, app.GetTestClient());
    }
}

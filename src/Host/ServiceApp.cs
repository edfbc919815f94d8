using RecFramework.AspNetCore;
using RecFramework.AspNetCore.Hosting;
using RecFramework.Fusion.Learned;
using RecFramework.Lifecycle;

namespace RecFramework.Host;

/// <summary>
/// Builds the ASP.NET Core service (used by <c>serve</c>, the end-to-end tests and the load benchmark). Public so the
/// <c>serve</c> benchmark measures exactly this service in its own process; the Host is an executable, not a package.
/// </summary>
public static class ServiceApp
{
    /// <summary>Creates the web application: configuration, framework, channels, endpoints, start-up loading.</summary>
    /// <param name="args">ASP.NET Core arguments (e.g. --urls).</param>
    /// <param name="settings">Serve settings (data to seed, config file).</param>
    /// <param name="configure">Hook for tests (test server, in-memory configuration).</param>
    /// <returns>The built, not yet started, application with the RecFramework endpoints mapped.</returns>
    public static WebApplication Build(string[] args, ServeSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddRecFrameworkSources(settings.ConfigFile);
        var startup = new Dictionary<string, string?> { [ChannelStartupOptions.Section + ":BuildMissing"] = settings.BuildMissing ? "true" : "false" };
        if (settings.DataPath is not null)
        {
            startup[ChannelStartupOptions.Section + ":DataPath"] = Path.GetFullPath(settings.DataPath);
        }

        if (settings.ArtifactsRoot is not null)
        {
            startup[Artifacts.ArtifactStoreOptions.Section + ":Root"] = Path.GetFullPath(settings.ArtifactsRoot);
        }

        builder.Configuration.AddInMemoryCollection(startup);
        configure?.Invoke(builder);
        builder.Services.AddRecFrameworkHost(builder.Configuration).AddLearnedFusion().AddRecFrameworkService();
        builder.Services.AddSingleton(settings);
        builder.UseRecFrameworkRuntime();
        var app = builder.Build();
        app.LogRecFrameworkRuntime();
        app.MapRecFramework();
        return app;
    }
}

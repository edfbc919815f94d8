using RecFramework.Host.Api;

namespace RecFramework.Host;

/// <summary>Builds the ASP.NET Core service (used by <c>serve</c>, the end-to-end tests and the load benchmark).</summary>
internal static class ServiceApp
{
    /// <summary>Creates the web application: configuration, framework, channels, endpoints, start-up loading.</summary>
    /// <param name="args">ASP.NET Core arguments (e.g. --urls).</param>
    /// <param name="settings">Serve settings (data to seed, config file).</param>
    /// <param name="configure">Hook for tests (test server, in-memory configuration).</param>
    public static WebApplication Build(string[] args, ServeSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings.ConfigFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(settings.ConfigFile), optional: false);
        }

        builder.Configuration.AddEnvironmentVariables("RECFW_");
        configure?.Invoke(builder);
        builder.Services.AddRecFrameworkHost(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddOptions<HostOptions>().Bind(builder.Configuration.GetSection(HostOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<StartupLoader>();
        builder.Services.AddSingleton<ExposureLog>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);

        var app = builder.Build();
        app.MapRecommendEndpoints();
        app.MapReadinessEndpoints();
        app.MapEventEndpoints();
        app.MapAdminEndpoints(app.Configuration.GetSection(HostOptions.Section).Get<HostOptions>() ?? new HostOptions());
        return app;
    }
}

using RecFramework.AspNetCore;
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
        if (settings.ConfigFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(settings.ConfigFile), optional: false);
        }

        builder.Configuration.AddEnvironmentVariables("RECFW_");
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
        builder.Services.AddOptions<HostOptions>().Bind(builder.Configuration.GetSection(HostOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var hostOptions = builder.Configuration.GetSection(HostOptions.Section).Get<HostOptions>() ?? new HostOptions();
        ApplyRuntimeSettings(hostOptions);
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(hostOptions.ShutdownTimeoutSeconds));

        var app = builder.Build();

        // Shutdown order: Kestrel stops listening and drains in-flight requests (up to ShutdownTimeoutSeconds), the
        // hosted services stop, then the container disposes the event store (writes every queued batch) and the
        // exposure log (flushes its buffer).
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        Log.RuntimeSettings(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RecFramework.Host.Runtime"),
            System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
            System.Runtime.GCSettings.LatencyMode,
            Gen0BudgetDescription(Environment.GetEnvironmentVariable(Gen0BudgetVariable)),
            minWorkers);
        Log.Paths(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RecFramework.Host.Paths"),
            Environment.CurrentDirectory,
            Path.GetFullPath(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Artifacts.ArtifactStoreOptions>>().Value.Root),
            Path.GetFullPath(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Stores.StoreOptions>>().Value.EventsPath),
            Path.GetFullPath(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Experiments.Logging.ExposureLogOptions>>().Value.Path));
        var shutdownLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RecFramework.Host.Shutdown");
        app.Lifetime.ApplicationStopping.Register(() => Log.ShuttingDown(shutdownLogger, hostOptions.ShutdownTimeoutSeconds));
        app.MapRecFramework();
        return app;
    }

    /// <summary>
    /// The runtime's gen-0 budget variable. It is read once at process start, so the Host cannot set it itself; the
    /// deployment does (docs/operations.md recommends 0x400000, 4 MB, on a few cores).
    /// </summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>The byte count of a gen-0 budget variable's text (hexadecimal, optional 0x), or null when unset or unreadable.</summary>
    /// <param name="value">The text of <see cref="Gen0BudgetVariable"/>, or null when it is not set.</param>
    /// <returns>The budget in bytes, or null.</returns>
    public static long? Gen0BudgetBytes(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var digits = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        return long.TryParse(digits, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes : null;
    }

    /// <summary>How the start-up log names the gen-0 budget of <paramref name="value"/> (the variable's text or null).</summary>
    public static string Gen0BudgetDescription(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"the runtime's default ({Gen0BudgetVariable} not set; 0x400000 keeps young-generation pauses near 5 ms, docs/operations.md)";
        }

        return Gen0BudgetBytes(value) is { } bytes
            ? $"{bytes / (1024.0 * 1024.0):0.##} MB ({Gen0BudgetVariable}={value})"
            : $"unreadable: {Gen0BudgetVariable}='{value}' is not a hexadecimal byte count";
    }

    /// <summary>Process-wide runtime settings of a service: GC latency mode, thread-pool minimum (only ever raised).</summary>
    public static void ApplyRuntimeSettings(HostOptions options)
    {
        if (options.GcLatencyMode is System.Runtime.GCLatencyMode.SustainedLowLatency or System.Runtime.GCLatencyMode.Interactive or System.Runtime.GCLatencyMode.Batch)
        {
            System.Runtime.GCSettings.LatencyMode = options.GcLatencyMode;
        }

        if (options.MinThreads > 0)
        {
            ThreadPool.GetMinThreads(out var workers, out var completion);
            ThreadPool.SetMinThreads(Math.Max(workers, options.MinThreads), Math.Max(completion, options.MinThreads));
        }
    }
}

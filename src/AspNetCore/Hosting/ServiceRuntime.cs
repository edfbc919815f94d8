using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Stores;

namespace RecFramework.AspNetCore.Hosting;

/// <summary>
/// The process-wide runtime settings of a service (<see cref="ServiceRuntimeOptions"/>, section
/// <c>RecFramework:Host</c>) and the start-up log that names them: what a service hosting RecFramework sets once, before
/// it loads gigabytes of artifacts.
/// </summary>
public static class ServiceRuntime
{
    /// <summary>
    /// The runtime's gen-0 budget variable. It is read once at process start, so a service cannot set it itself; the
    /// deployment does (docs/operations.md recommends 0x400000, 4 MB, on a few cores).
    /// </summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>
    /// Binds <see cref="ServiceRuntimeOptions"/> (validated at start), applies its GC latency mode and thread-pool
    /// minimum to the process now (<see cref="Apply"/>) and its shutdown timeout to the generic host.
    /// </summary>
    /// <param name="builder">The web application builder; its configuration is read as it stands (add sources first).</param>
    /// <returns>The settings applied.</returns>
    public static ServiceRuntimeOptions UseRecFrameworkRuntime(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(ServiceRuntimeOptions.Section);
        builder.Services.AddOptions<ServiceRuntimeOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<ServiceRuntimeOptions>() ?? new ServiceRuntimeOptions();
        Apply(options);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        return options;
    }

    /// <summary>
    /// Logs the runtime settings in effect (GC kind, latency mode, gen-0 budget, thread-pool minimum) and the paths the
    /// service writes (artifacts, event log, exposure log, resolved against the working directory), and registers the
    /// shutdown message naming how long in-flight requests get.
    /// </summary>
    /// <remarks>
    /// Shutdown order: Kestrel stops listening and drains in-flight requests (up to
    /// <see cref="ServiceRuntimeOptions.ShutdownTimeoutSeconds"/>), the hosted services stop, then the container
    /// disposes the event store (writes every queued batch) and the exposure log (flushes its buffer).
    /// </remarks>
    /// <param name="app">The built application (needs <c>AddRecFramework</c> and <c>AddRecFrameworkService</c>).</param>
    /// <returns><paramref name="app"/>.</returns>
    public static WebApplication LogRecFrameworkRuntime(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        Log.RuntimeSettings(
            loggers.CreateLogger("RecFramework.Host.Runtime"),
            GCSettings.IsServerGC ? "server" : "workstation",
            GCSettings.LatencyMode,
            Gen0BudgetDescription(Environment.GetEnvironmentVariable(Gen0BudgetVariable)),
            minWorkers);
        Log.Paths(
            loggers.CreateLogger("RecFramework.Host.Paths"),
            Environment.CurrentDirectory,
            Path.GetFullPath(app.Services.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value.Root),
            Path.GetFullPath(app.Services.GetRequiredService<IOptions<StoreOptions>>().Value.EventsPath),
            Path.GetFullPath(app.Services.GetRequiredService<IOptions<ExposureLogOptions>>().Value.Path));
        var shutdownLogger = loggers.CreateLogger("RecFramework.Host.Shutdown");
        var timeout = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        app.Lifetime.ApplicationStopping.Register(() => Log.ShuttingDown(shutdownLogger, (int)timeout.TotalSeconds));
        return app;
    }

    /// <summary>Applies the process-wide settings: the GC latency mode, and the thread-pool minimum (only ever raised).</summary>
    /// <param name="options">The settings; a latency mode other than SustainedLowLatency, Interactive or Batch is ignored.</param>
    public static void Apply(ServiceRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.GcLatencyMode is GCLatencyMode.SustainedLowLatency or GCLatencyMode.Interactive or GCLatencyMode.Batch)
        {
            GCSettings.LatencyMode = options.GcLatencyMode;
        }

        if (options.MinThreads > 0)
        {
            ThreadPool.GetMinThreads(out var workers, out var completion);
            ThreadPool.SetMinThreads(Math.Max(workers, options.MinThreads), Math.Max(completion, options.MinThreads));
        }
    }

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
        return long.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes : null;
    }

    /// <summary>How the start-up log names the gen-0 budget of <paramref name="value"/>.</summary>
    /// <param name="value">The text of <see cref="Gen0BudgetVariable"/>, or null when it is not set.</param>
    /// <returns>"4 MB (DOTNET_GCgen0size=0x400000)", the runtime's default when unset, or why the text is unreadable.</returns>
    public static string Gen0BudgetDescription(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"the runtime's default ({Gen0BudgetVariable} not set; 0x400000 keeps young-generation pauses near 5 ms, docs/operations.md)";
        }

        return Gen0BudgetBytes(value) is { } bytes
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.##} MB ({Gen0BudgetVariable}={value})")
            : $"unreadable: {Gen0BudgetVariable}='{value}' is not a hexadecimal byte count";
    }
}

using System.ComponentModel.DataAnnotations;

namespace RecFramework.AspNetCore.Hosting;

/// <summary>
/// Runtime settings of the process that serves RecFramework (section <c>RecFramework:Host</c>), applied by
/// <see cref="ServiceRuntime.UseRecFrameworkRuntime"/>: shutdown timeout, GC latency mode, thread-pool minimum.
/// </summary>
public sealed class ServiceRuntimeOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Host";

    /// <summary>
    /// How long a graceful shutdown (SIGTERM, Ctrl+C, <c>StopAsync</c>) waits for in-flight requests before the
    /// remaining ones are aborted; queued events and the exposure log are flushed afterwards either way.
    /// </summary>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// GC latency mode of the service process. <see cref="System.Runtime.GCLatencyMode.SustainedLowLatency"/> (the
    /// default) keeps gen 2 collections in the background unless memory runs low: with gigabytes of loaded models a
    /// blocking full collection stops every request for most of a second (measured: 900 ms at 1M items, the serve
    /// benchmark). <c>Interactive</c> is the runtime's own default; <c>Batch</c> trades latency for throughput.
    /// </summary>
    [AllowedValues(System.Runtime.GCLatencyMode.SustainedLowLatency, System.Runtime.GCLatencyMode.Interactive, System.Runtime.GCLatencyMode.Batch)]
    public System.Runtime.GCLatencyMode GcLatencyMode { get; set; } = System.Runtime.GCLatencyMode.SustainedLowLatency;

    /// <summary>
    /// Thread-pool threads available at once before the pool's slow injection starts (0: the runtime's default, one
    /// per core). Requests fan out into one work item per channel; with one thread per core a single blocked or long
    /// work item leaves cheap channels queued until their timeout, while many more threads than cores let the
    /// CPU-bound channel calls of different requests time-slice the cores, so every request finishes late (serve
    /// benchmark, 2 cores, at 50 % of saturation: p99 305–839 ms with 16, 24.9 ms with 4). Worker and I/O-completion
    /// minimums both.
    /// </summary>
    [Range(0, 1024)]
    public int MinThreads { get; set; } = 4;
}

using System.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RecFramework.AspNetCore.Hosting;
using RecFramework.DependencyInjection;

namespace RecFramework.AspNetCore.Tests.Hosting;

/// <summary>A service's process-wide runtime settings (GC latency mode, thread-pool minimum, shutdown timeout) and their start-up log.</summary>
[Collection(RuntimeSettingsCollection.Name)]
public sealed class ServiceRuntimeTests
{
    [Theory]
    [InlineData("0x400000", "4 MB (DOTNET_GCgen0size=0x400000)")]
    [InlineData("800000", "8 MB (DOTNET_GCgen0size=800000)")]
    [InlineData(null, "the runtime's default (DOTNET_GCgen0size not set")]
    [InlineData("4MB", "unreadable: DOTNET_GCgen0size='4MB' is not a hexadecimal byte count")]
    public void TheStartUpLogNamesTheGen0Budget(string? value, string expected)
    {
        Assert.StartsWith(expected, ServiceRuntime.Gen0BudgetDescription(value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x400000", 4L * 1024 * 1024)]
    [InlineData("0X10", 16L)]
    [InlineData("  ", null)]
    [InlineData("0", null)]
    [InlineData("-1", null)]
    public void TheGen0BudgetIsReadAsHexadecimalBytes(string value, long? expected)
    {
        Assert.Equal(expected, ServiceRuntime.Gen0BudgetBytes(value));
    }

    [Fact]
    public void SettingsApplyAndTheThreadPoolMinimumIsOnlyRaised()
    {
        var mode = GCSettings.LatencyMode;
        ThreadPool.GetMinThreads(out var workers, out var completion);
        try
        {
            ServiceRuntime.Apply(new ServiceRuntimeOptions { GcLatencyMode = GCLatencyMode.Batch, MinThreads = workers + 3 });
            Assert.Equal(GCLatencyMode.Batch, GCSettings.LatencyMode);
            ThreadPool.GetMinThreads(out var raised, out _);
            Assert.Equal(workers + 3, raised);

            ServiceRuntime.Apply(new ServiceRuntimeOptions { GcLatencyMode = GCLatencyMode.SustainedLowLatency, MinThreads = 1 });
            Assert.Equal(GCLatencyMode.SustainedLowLatency, GCSettings.LatencyMode);
            ThreadPool.GetMinThreads(out var kept, out _);
            Assert.Equal(workers + 3, kept);
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, completion);
            GCSettings.LatencyMode = mode;
        }
    }

    [Theory]
    [InlineData(GCLatencyMode.LowLatency)]
    [InlineData(GCLatencyMode.NoGCRegion)]
    public void LatencyModesAServiceCannotHoldAreRejectedByName(GCLatencyMode mode)
    {
        var validator = new DataAnnotationValidateOptions<ServiceRuntimeOptions>(null);

        var result = validator.Validate(null, new ServiceRuntimeOptions { GcLatencyMode = mode });

        Assert.True(result.Failed);
        Assert.Contains(nameof(ServiceRuntimeOptions.GcLatencyMode), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConfiguredSettingsApplyAndTheStartUpAndShutdownLogNameThem()
    {
        var mode = GCSettings.LatencyMode;
        ThreadPool.GetMinThreads(out var workers, out var completion);
        var root = Path.Combine(Path.GetTempPath(), "recfw-aspnetcore-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RecFramework:Artifacts:Root"] = Path.Combine(root, "artifacts"),
                ["RecFramework:Stores:EventsPath"] = Path.Combine(root, "events.db"),
                ["RecFramework:ExposureLog:Path"] = Path.Combine(root, "exposures.jsonl"),
                ["RecFramework:Host:ShutdownTimeoutSeconds"] = "7",
                ["RecFramework:Host:GcLatencyMode"] = "Batch",
                ["RecFramework:Host:MinThreads"] = (workers + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            builder.Services.AddFakeLogging();
            builder.Services.AddRecFramework(builder.Configuration).AddRecFrameworkService();

            var options = builder.UseRecFrameworkRuntime();
            await using var app = builder.Build();
            app.LogRecFrameworkRuntime();

            Assert.Equal(7, options.ShutdownTimeoutSeconds);
            Assert.Equal(GCLatencyMode.Batch, GCSettings.LatencyMode);
            ThreadPool.GetMinThreads(out var raised, out _);
            Assert.Equal(workers + 2, raised);
            Assert.Equal(TimeSpan.FromSeconds(7), app.Services.GetRequiredService<IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value.ShutdownTimeout);
            Assert.Equal(7, app.Services.GetRequiredService<IOptions<ServiceRuntimeOptions>>().Value.ShutdownTimeoutSeconds);

            var logs = app.Services.GetFakeLogCollector();
            Assert.Contains(logs.GetSnapshot(), r => r.Message.StartsWith("Runtime: ", StringComparison.Ordinal)
                && r.Message.Contains("latency mode Batch", StringComparison.Ordinal)
                && r.Message.Contains($"thread-pool minimum {workers + 2}", StringComparison.Ordinal));
            Assert.Contains(logs.GetSnapshot(), r => r.Message.StartsWith("Paths ", StringComparison.Ordinal)
                && r.Message.Contains("artifacts " + Path.Combine(root, "artifacts"), StringComparison.Ordinal));
            Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.StartsWith("Shutting down", StringComparison.Ordinal));

            app.Lifetime.StopApplication();
            Assert.Contains(logs.GetSnapshot(), r => r.Message.StartsWith("Shutting down: waiting up to 7 s", StringComparison.Ordinal));
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, completion);
            GCSettings.LatencyMode = mode;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task AnInvalidSettingStopsTheStartNamingTheKey()
    {
        var mode = GCSettings.LatencyMode;
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RecFramework:Host:ShutdownTimeoutSeconds"] = "0", ["RecFramework:Host:MinThreads"] = "0" });
            builder.WebHost.UseTestServer();
            builder.UseRecFrameworkRuntime();
            await using var app = builder.Build();

            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains(nameof(ServiceRuntimeOptions.ShutdownTimeoutSeconds), ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            GCSettings.LatencyMode = mode;
        }
    }
}

/// <summary>Tests that change process-wide runtime settings run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeSettingsCollection
{
    public const string Name = "Service runtime settings";
}

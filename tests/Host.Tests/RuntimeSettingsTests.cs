using System.Runtime;
using Microsoft.Extensions.Options;

namespace RecFramework.Host.Tests;

/// <summary>The Host's process-wide runtime settings: GC latency mode and thread-pool minimum.</summary>
[Collection(RuntimeSettingsCollection.Name)]
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("0x400000", "4 MB (DOTNET_GCgen0size=0x400000)")]
    [InlineData("800000", "8 MB (DOTNET_GCgen0size=800000)")]
    [InlineData(null, "the runtime's default (DOTNET_GCgen0size not set")]
    [InlineData("4MB", "unreadable: DOTNET_GCgen0size='4MB' is not a hexadecimal byte count")]
    public void TheStartUpLogNamesTheGen0Budget(string? value, string expected)
    {
        Assert.StartsWith(expected, ServiceApp.Gen0BudgetDescription(value), StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsApplyAndTheThreadPoolMinimumIsOnlyRaised()
    {
        var mode = GCSettings.LatencyMode;
        ThreadPool.GetMinThreads(out var workers, out var completion);
        try
        {
            ServiceApp.ApplyRuntimeSettings(new HostOptions { GcLatencyMode = GCLatencyMode.Batch, MinThreads = workers + 3 });
            Assert.Equal(GCLatencyMode.Batch, GCSettings.LatencyMode);
            ThreadPool.GetMinThreads(out var raised, out _);
            Assert.Equal(workers + 3, raised);

            ServiceApp.ApplyRuntimeSettings(new HostOptions { GcLatencyMode = GCLatencyMode.SustainedLowLatency, MinThreads = 1 });
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
        var validator = new DataAnnotationValidateOptions<HostOptions>(null);

        var result = validator.Validate(null, new HostOptions { GcLatencyMode = mode });

        Assert.True(result.Failed);
        Assert.Contains(nameof(HostOptions.GcLatencyMode), result.FailureMessage, StringComparison.Ordinal);
    }
}

/// <summary>Tests that change process-wide runtime settings run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeSettingsCollection
{
    public const string Name = "Host runtime settings";
}

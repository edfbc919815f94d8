using System.Text.Json;

namespace RecFramework.Host.Tests;

/// <summary>The runtime settings the Host's executable carries in its runtimeconfig (docs/operations.md, runtime settings).</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void TheHostKeepsFreedMemoryRunsConcurrentGcAndItsIdleThreadPoolWorkersSleepWithoutSpinning()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "RecFramework.Host.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));

        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
        Assert.True(properties.GetProperty("System.GC.RetainVM").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
    }
}

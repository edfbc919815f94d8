using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RecFramework.Channels;
using RecFramework.Diagnostics;
using RecFramework.Pipeline;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Pipeline;

/// <summary>The pipeline's System.Diagnostics.Metrics instruments, read back with MetricCollector from the container's meter factory.</summary>
public sealed class RecallMetricsTests
{
    [Fact]
    public async Task CountsRequestsAndRecordsLatencyPerChannel()
    {
        var a = FakeRecallChannel.Returning("a", 1, 2);
        var b = FakeRecallChannel.Returning("b", 3);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a, b);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        using var requests = Collector<long>(services, "recfw.requests");
        using var requestDuration = Collector<double>(services, "recfw.request.duration");
        using var channelDuration = Collector<double>(services, "recfw.channel.duration");
        using var coldStarts = Collector<long>(services, "recfw.cold_starts");
        var pipeline = services.GetRequiredService<RecallPipeline>();

        await pipeline.RecommendAsync(new RecommendRequest { UserId = 7, K = 3 });
        await pipeline.RecommendAsync(new RecommendRequest { UserId = 7, K = 3 });
        await pipeline.RecommendAsync(new RecommendRequest { UserId = 999, K = 3 }); // no history: cold start

        Assert.Equal(3, requests.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, coldStarts.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(3, requestDuration.GetMeasurementSnapshot().Count);
        Assert.All(requestDuration.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
        var perChannel = channelDuration.GetMeasurementSnapshot();
        Assert.Equal(3, perChannel.Count(m => m.Tags["channel"] as string == "a"));
        Assert.Equal(3, perChannel.Count(m => m.Tags["channel"] as string == "b"));
        Assert.Equal(3, perChannel.Count(m => m.Tags["channel"] as string == "popular"));
    }

    [Fact]
    public async Task CountsErrorsAndTimeoutsPerChannel()
    {
        var broken = new FakeRecallChannel("broken", (_, _) => throw new InvalidOperationException("boom"));
        var slow = new FakeRecallChannel("slow", async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return RecallResult.Empty;
        });
        var fine = FakeRecallChannel.Returning("fine", 1);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(("RecFramework:Channels:slow:TimeoutMs", "30")), broken, slow, fine);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        using var errors = Collector<long>(services, "recfw.channel.errors");
        using var timeouts = Collector<long>(services, "recfw.channel.timeouts");

        await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 1 });
        await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 1 });

        var errorSnapshot = errors.GetMeasurementSnapshot();
        Assert.Equal(2, errorSnapshot.EvaluateAsCounter());
        Assert.All(errorSnapshot, m => Assert.Equal("broken", m.Tags["channel"]));
        var timeoutSnapshot = timeouts.GetMeasurementSnapshot();
        Assert.Equal(2, timeoutSnapshot.EvaluateAsCounter());
        Assert.All(timeoutSnapshot, m => Assert.Equal("slow", m.Tags["channel"]));
    }

    private static MetricCollector<T> Collector<T>(IServiceProvider services, string instrument)
        where T : struct
        => new(services.GetRequiredService<IMeterFactory>(), RecallMetrics.MeterName, instrument);
}

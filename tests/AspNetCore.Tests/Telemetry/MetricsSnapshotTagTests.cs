using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.AspNetCore.Telemetry;
using RecFramework.Diagnostics;

namespace RecFramework.AspNetCore.Tests.Telemetry;

/// <summary>
/// <see cref="MetricsSnapshot"/> finds a measurement's series by its tags without building a key when it has seen
/// the tag set before: the same set in another order is the same series, equal boxed values match, and past the 64
/// remembered sets of an instrument every further set is still counted in its own series.
/// </summary>
public sealed class MetricsSnapshotTagTests
{
    [Fact]
    public void EveryTagSetIsCountedInItsOwnSeriesWhateverTheOrderAndHowManyThereAre()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        using var snapshot = new MetricsSnapshot(factory);
        var meter = factory.Create(RecallMetrics.MeterName);
        var counter = meter.CreateCounter<long>("test.calls");
        var histogram = meter.CreateHistogram<double>("test.duration");

        for (var round = 0; round < 3; round++)
        {
            counter.Add(1, new("channel", "itemcf"), new("status", 200));
            counter.Add(2, new("status", 200), new("channel", "itemcf"));
            counter.Add(5, new("channel", "swing"), new("status", 200));
            counter.Add(7);
            histogram.Record(round + 1.0, new KeyValuePair<string, object?>("channel", "itemcf"));
            for (var user = 0; user < 100; user++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("user", user));
            }
        }

        var series = snapshot.Read().Where(s => s.Name.StartsWith("test.", StringComparison.Ordinal)).ToDictionary(s => $"{s.Name} {s.Tags}");
        Assert.Equal(9, series["test.calls channel=itemcf,status=200"].Sum);
        Assert.Equal(6, series["test.calls channel=itemcf,status=200"].Count);
        Assert.Equal(15, series["test.calls channel=swing,status=200"].Sum);
        Assert.Equal(21, series["test.calls "].Sum);
        Assert.Equal(3, series["test.duration channel=itemcf"].Count);
        Assert.Equal(6, series["test.duration channel=itemcf"].Sum);
        Assert.Equal(1, series["test.duration channel=itemcf"].Min);
        for (var user = 0; user < 100; user++)
        {
            Assert.Equal(3, series[$"test.calls user={user}"].Sum);
        }

        Assert.Equal(104, series.Count);
    }
}

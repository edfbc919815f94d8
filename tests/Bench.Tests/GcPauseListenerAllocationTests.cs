using RecFramework.Bench.Serve;

namespace RecFramework.Bench.Tests;

/// <summary>
/// <see cref="GcPauseListener.TopAllocations"/> (<c>serve --allocations</c>, <c>serve-cost --allocations</c>): the
/// runtime's allocation ticks summed per type.
/// </summary>
public sealed class GcPauseListenerAllocationTests
{
    private sealed class Marker
    {
        public long A;
        public long B;
        public long C;
    }

    [Fact]
    public async Task TheTypeThatIsAllocatedMostLeadsTheSampledShares()
    {
        GcPauseListener.SampleAllocations = true;
        using var listener = new GcPauseListener();
        var kept = new List<Marker>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<(string Type, double Share)> top = [];
        while (DateTime.UtcNow < deadline)
        {
            Churn(kept); // ≈ 32 MB of one type: hundreds of ticks (one per ~100 KB)
            await Task.Delay(100); // the runtime's events arrive on a dispatch thread
            top = listener.TopAllocations(3);
            if (top.Count > 0 && top[0].Type.EndsWith(nameof(Marker), StringComparison.Ordinal) && top[0].Share > 0.5)
            {
                break;
            }
        }

        Assert.NotEmpty(top);
        Assert.EndsWith(nameof(Marker), top[0].Type, StringComparison.Ordinal);
        Assert.InRange(top[0].Share, 0.5, 1.0);
        Assert.Equal(1.0, listener.TopAllocations(int.MaxValue).Sum(t => t.Share), 6);
        GC.KeepAlive(kept);
    }

    private static void Churn(List<Marker> kept)
    {
        for (var i = 0; i < 1_000_000; i++)
        {
            var marker = new Marker { A = i, B = i + 1, C = i + 2 };
            if (i % 100_000 == 0)
            {
                kept.Add(marker);
            }
        }
    }
}

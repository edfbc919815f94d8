using RecFramework.Bench.Serve;

namespace RecFramework.Bench.Tests;

/// <summary>
/// <see cref="GcPauseListener.Steps"/> (<c>serve</c>'s "gen-0 collection steps"): the runtime's mark events split a
/// collection's time into its marking steps and the rest.
/// Not run beside other tests: their collections would enter the means.
/// </summary>
[Collection(RuntimeGcEventsCollection.Name)]
public sealed class GcPauseListenerStepTests
{
    [Fact]
    public async Task YoungObjectsReachedOnlyFromAnOldArrayAreMarkedThroughTheOlderGenerationsStep()
    {
        using var listener = new GcPauseListener();
        var old = new object[4096];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true); // the array is now in gen 2
        IReadOnlyList<(string Step, double MeanMs, double MeanBytes)> steps = [];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < old.Length; i++)
            {
                old[i] = new byte[256]; // young objects reachable only through the old array's cards
            }

            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            await Task.Delay(100); // the runtime's events arrive on a dispatch thread
            steps = listener.Steps(0);
            if (steps.Any(s => s.Step == "older-generations" && s.MeanBytes >= 4096 * 256) && steps.Any(s => s.Step == "after-mark"))
            {
                break;
            }
        }

        Assert.Contains(steps, s => s.Step == "older-generations" && s.MeanBytes >= 4096 * 256);
        Assert.Contains(steps, s => s.Step == "after-mark" && s.MeanMs >= 0);
        Assert.All(steps, s => Assert.True(s.MeanMs >= 0, $"{s.Step}: {s.MeanMs} ms"));
        Assert.Equal(steps.OrderByDescending(s => s.MeanMs).Select(s => s.Step), steps.Select(s => s.Step));
        GC.KeepAlive(old);
    }
}

/// <summary>Tests that read the runtime's GC events of the whole process run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeGcEventsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "runtime GC events";
}

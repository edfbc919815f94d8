using RecFramework.Bench.Serve;

namespace RecFramework.Bench.Tests;

/// <summary>
/// <see cref="GcPauseListener.LongPauses"/> (<c>serve</c>'s "a N ms pause" lines): a pause at least
/// <see cref="GcPauseListener.LongPause"/> long keeps the runtime's GC events seen during it, in order.
/// </summary>
[Collection(RuntimeGcEventsCollection.Name)]
public sealed class GcPauseListenerLongPauseTests
{
    [Fact]
    public async Task ALongPauseKeepsTheEventsOfItsCollectionAndAShortOneDoesNot()
    {
        var threshold = GcPauseListener.LongPause;
        try
        {
            GcPauseListener.LongPause = TimeSpan.Zero; // every pause is "long"
            using var listener = new GcPauseListener();
            IReadOnlyList<(double Ms, int Generation, IReadOnlyList<(double AtMs, string Event)> Events)> pauses = [];
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && !pauses.Any(p => p.Generation == 2))
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                await Task.Delay(100); // the runtime's events arrive on a dispatch thread
                pauses = listener.LongPauses;
            }

            var full = pauses.First(p => p.Generation == 2);
            Assert.StartsWith("GCSuspendEEBegin", full.Events[0].Event, StringComparison.Ordinal);
            Assert.Contains(full.Events, e => e.Event.StartsWith("GCStart", StringComparison.Ordinal) && e.Event.Contains("Depth=2", StringComparison.Ordinal));
            Assert.Contains(full.Events, e => e.Event.StartsWith("GCEnd", StringComparison.Ordinal));
            Assert.Equal(full.Events.Select(e => e.AtMs).Order(), full.Events.Select(e => e.AtMs));
            Assert.All(full.Events, e => Assert.InRange(e.AtMs, 0, full.Ms + 1));

            GcPauseListener.LongPause = TimeSpan.FromHours(1);
            listener.Reset();
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            await Task.Delay(200);
            Assert.NotEmpty(listener.Pauses);
            Assert.Empty(listener.LongPauses);
        }
        finally
        {
            GcPauseListener.LongPause = threshold;
        }
    }
}

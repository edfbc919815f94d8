using System.Diagnostics.Metrics;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Vectors.Faiss.Tests;

/// <summary>Listening to the recall audit's histogram and waiting for its worker.</summary>
internal static class AuditTestSupport
{
    /// <summary>
    /// Records every <see cref="VectorIndexRecallAudit.RecallInstrument"/> measurement of meters created by
    /// <paramref name="scope"/> only (other tests record the same instrument concurrently) with its <c>index</c> tag.
    /// </summary>
    public static MeterListener ListenToRecall(IMeterFactory scope, List<(double Recall, string? Index)> recorded)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == VectorIndexRecallAudit.RecallInstrument && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? index = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "index")
                {
                    index = tag.Value as string;
                }
            }

            lock (recorded)
            {
                recorded.Add((value, index));
            }
        });
        listener.Start();
        return listener;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (30 s at most: the worker is asynchronous).</summary>
    public static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the audit worker");
            await Task.Delay(10);
        }
    }
}

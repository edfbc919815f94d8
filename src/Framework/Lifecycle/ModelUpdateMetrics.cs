using System.Diagnostics.Metrics;
using RecFramework.Diagnostics;

namespace RecFramework.Lifecycle;

/// <summary>
/// The instruments of <see cref="ModelUpdateWorker"/> on the <c>RecFramework</c> meter: runs by outcome, duration,
/// and gauges read from the last outcome of each channel (last success, examples, the gate's figures).
/// </summary>
internal sealed class ModelUpdateMetrics
{
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;

    public ModelUpdateMetrics(IMeterFactory factory, Func<IEnumerable<ModelUpdateOutcome>> outcomes)
    {
        var meter = factory.Create(RecallMetrics.MeterName);
        _runs = meter.CreateCounter<long>("recfw.update.runs", description: "Scheduled or direct updates, by channel and outcome (activated, published, rejected, superseded, skipped, failed).");
        _duration = meter.CreateHistogram<double>("recfw.update.duration", "s", "Duration of updates that published a version.");
        meter.CreateObservableGauge("recfw.update.last_success", () => Observe(outcomes(), o => o.Finished.ToUnixTimeSeconds()), "s", "Unix time of the last update that published a version.");
        meter.CreateObservableGauge("recfw.update.examples", () => Observe(outcomes(), o => o.Events), description: "Events the last published version was built from.");
        meter.CreateObservableGauge("recfw.update.gate_recall", () => Observe(outcomes().Where(o => o.GateRecall is not null), o => o.GateRecall!.Value), description: "Recall@20 of the last gated version on the held-out slice.");
        meter.CreateObservableGauge("recfw.update.serving_recall", () => Observe(outcomes().Where(o => o.ServingRecall is not null), o => o.ServingRecall!.Value), description: "Recall@20 of the serving version on the same slice.");
    }

    public void Run(string channel, string outcome) => _runs.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));

    public void Published(ModelUpdateOutcome outcome) =>
        _duration.Record(outcome.Seconds, new KeyValuePair<string, object?>("channel", outcome.Channel));

    private static IEnumerable<Measurement<double>> Observe(IEnumerable<ModelUpdateOutcome> outcomes, Func<ModelUpdateOutcome, double> value) =>
        outcomes.Select(o => new Measurement<double>(value(o), new KeyValuePair<string, object?>("channel", o.Channel)));
}

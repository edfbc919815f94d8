using System.Diagnostics;
using System.Globalization;
using RecFramework.Bench.Chaos;
using RecFramework.Data.Synthetic;

namespace RecFramework.Bench;

/// <summary>
/// <c>chaos</c>: fault injection against the real Host executable (<c>RecFramework.Host serve</c>, a child process on
/// loopback) over a small synthetic dataset. In order: exposure-log bytes per request at k = 50 (clean); a table of
/// bad inputs, each of which must be answered 4xx with a problem-details reason (<see cref="BadInputCatalog"/>);
/// damaged artifact versions, each of which activation must refuse while the channel keeps serving
/// (<see cref="CorruptArtifactPhase"/>); <c>kill -9</c> rounds during event ingestion, each restarted on the same
/// folders with the damaged versions still the latest (start-up must serve the newest valid one) and checked for
/// acknowledged events missing from the SQLite log (<see cref="KillRound"/>), the first with half a line appended to
/// the exposure log (<see cref="ExposureLogPhase"/>); and one kill during an activation. The run exits 1 when a check
/// fails (<see cref="Failures"/>). Quick: 2 rounds and the CF channels; full: 5 rounds, more data and two-tower.
/// </summary>
internal sealed class ChaosBenchmark : IVerifyingBenchmark
{
    private const string ServedChannel = "itemcf";
    private const int MinBadInputs = 40;
    private readonly List<string> _details = [];

    public string Name => "chaos";

    public string Description => "fault injection on the real service: bad inputs, kill -9 during ingestion and activation, corrupt artifacts, a torn exposure log";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var quick = context.Quick;
        var (users, items, interactions) = quick ? (1_000, 500, 30_000) : (3_000, 2_000, 150_000);
        var rounds = quick ? 2 : 5;
        var total = Stopwatch.StartNew();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["cores"] = Environment.ProcessorCount };
        AddLoad(figures, "start");
        var root = Directory.CreateTempSubdirectory("rf-bench-chaos-").FullName;
        try
        {
            await using var service = new ChaosService(root);
            var synthetic = SyntheticGenerator.Generate(new SyntheticOptions { Users = users, Items = items, Clusters = 10, Interactions = interactions, Days = 30, Seed = 42 }, cancellationToken: cancellationToken);
            SyntheticGenerator.Write(synthetic, service.Data, cancellationToken: cancellationToken);
            await File.WriteAllTextAsync(service.ConfigPath, ChaosConfiguration.Valid(twoTower: !quick), cancellationToken);
            var readyWithin = TimeSpan.FromSeconds(quick ? 120 : 600);
            var watch = Stopwatch.StartNew();
            figures["service_started"] = await service.StartAsync(readyWithin, cancellationToken) ? 1 : 0;
            figures["service_start_s"] = watch.Elapsed.TotalSeconds;
            if (figures["service_started"] == 0)
            {
                return figures;
            }

            Console.WriteLine($"chaos: service ready in {watch.Elapsed.TotalSeconds:F1} s ({users:N0} users, {items:N0} items, {interactions:N0} events)");
            var serverErrors = 0;
            var (bytesPerRequest, errors) = await ExposureLogPhase.BytesPerRequestAsync(service, quick ? 200 : 1_000, users, cancellationToken);
            figures["exposure_bytes_per_request"] = bytesPerRequest;
            serverErrors += errors;

            var badInputs = await BadInputRunner.RunAsync(service, BadInputCatalog.Build(service, twoTower: !quick), cancellationToken);
            figures["bad_inputs_tried"] = badInputs.Tried;
            figures["bad_inputs_answered_4xx_with_reason"] = badInputs.Answered;
            serverErrors += badInputs.ServerErrors;
            _details.AddRange(badInputs.Failures.Select(f => $"bad input {f}"));

            IReadOnlyList<(string, string?)> targets = quick
                ? [(ServedChannel, null), ("swing", null)]
                : [(ServedChannel, null), ("usercf", null), ("two-tower", "items.index"), ("two-tower", "user_tower.bin"), ("two-tower", "options.json"), ("two-tower", "users.bin"), ("two-tower", "user_encoder.json"), ("two-tower", "model.bin")];
            var expectedVersion = await service.ActiveVersionAsync(ServedChannel, cancellationToken);
            var corrupt = await CorruptArtifactPhase.RunAsync(service, targets, firstVersion: 100, cancellationToken);
            figures["corrupt_artifacts_tried"] = corrupt.Tried;
            figures["corrupt_artifacts_refused"] = corrupt.Refused;
            serverErrors += corrupt.ServerErrors;
            _details.AddRange(corrupt.Failures.Select(f => $"corrupt artifact {f}"));
            var kills = new KillRounds(service, users, items, _details);
            serverErrors += await kills.IngestionRoundsAsync(rounds, ServedChannel, expectedVersion!, readyWithin, cancellationToken);
            serverErrors += await kills.ActivationRoundAsync(rounds + 1, quick ? ServedChannel : "two-tower", readyWithin, cancellationToken);
            kills.Report(figures);
            figures["server_errors"] = serverErrors;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        AddLoad(figures, "end");
        figures["total_s"] = total.Elapsed.TotalSeconds;
        return figures;
    }

    public IReadOnlyList<string> Failures(IReadOnlyDictionary<string, double> figures)
    {
        double Figure(string name) => figures.TryGetValue(name, out var value) ? value : double.NaN;
        var failures = new List<string>();
        if (Figure("service_started") != 1)
        {
            return ["the service did not start (its output is printed above)"];
        }

        void Require(bool holds, string failure)
        {
            if (!holds)
            {
                failures.Add(failure);
            }
        }

        Require(Figure("server_errors") == 0, $"server_errors = {Figure("server_errors")} (5xx answers; must be 0)");
        Require(Figure("bad_inputs_tried") >= MinBadInputs, $"bad_inputs_tried = {Figure("bad_inputs_tried")} (at least {MinBadInputs})");
        Require(Figure("bad_inputs_answered_4xx_with_reason") == Figure("bad_inputs_tried"), $"bad_inputs_answered_4xx_with_reason = {Figure("bad_inputs_answered_4xx_with_reason")} of {Figure("bad_inputs_tried")}");
        Require(Figure("acknowledged_events") > 0, "no event was acknowledged during the kill rounds");
        Require(Figure("acknowledged_events_lost") == 0, $"acknowledged_events_lost = {Figure("acknowledged_events_lost")} (must be 0)");
        Require(Figure("restarts_ok") == Figure("kill_rounds"), $"restarts_ok = {Figure("restarts_ok")} of kill_rounds = {Figure("kill_rounds")}");
        Require(Figure("restarts_serving_newest_valid") == Figure("restarts_ok"), $"restarts_serving_newest_valid = {Figure("restarts_serving_newest_valid")} of {Figure("restarts_ok")} restarts");
        Require(Figure("corrupt_artifacts_tried") > 0 && Figure("corrupt_artifacts_refused") == Figure("corrupt_artifacts_tried"), $"corrupt_artifacts_refused = {Figure("corrupt_artifacts_refused")} of {Figure("corrupt_artifacts_tried")}");
        Require(Figure("exposure_log_read_ok") == 1, "the exposure log did not read back after the torn line");
        failures.AddRange(_details);
        return failures;
    }

    /// <summary>The machine load (<c>/proc/loadavg</c>: 1, 5 and 15 minutes) as figures.</summary>
    private static void AddLoad(Dictionary<string, double> figures, string when)
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            figures[$"load_avg_1m_{when}"] = double.Parse(fields[0], CultureInfo.InvariantCulture);
            figures[$"load_avg_5m_{when}"] = double.Parse(fields[1], CultureInfo.InvariantCulture);
            figures[$"load_avg_15m_{when}"] = double.Parse(fields[2], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            // not Linux: no load figures
        }
    }
}

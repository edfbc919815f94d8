using System.Diagnostics;
using System.Net;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// The <c>kill -9</c> rounds of the chaos benchmark and their tally: during event ingestion (<see cref="KillRound"/>;
/// the first round also tears the exposure log) and during an activation. After every restart the service must be
/// ready, serve the expected version of the observed channel (the recorded active one; damaged later versions are
/// present, so with no record the newest valid one) and have every
/// acknowledged event in its log.
/// </summary>
internal sealed class KillRounds(ChaosService service, int users, int items, List<string> details)
{
    private int _rounds;
    private int _restartsOk;
    private int _servingNewestValid;
    private long _acknowledged;
    private long _lost;
    private double _slowestRestart;
    private double _exposureReadOk;
    private double _exposureLines = double.NaN;
    private double _exposureSkipped = double.NaN;
    private double _activationInFlight;

    /// <summary>Runs <paramref name="rounds"/> rounds; returns the 5xx answers seen.</summary>
    public async Task<int> IngestionRoundsAsync(int rounds, string channel, string newestValid, TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        var serverErrors = 0;
        for (var r = 1; r <= rounds; r++)
        {
            var round = new KillRound(service, r, users, items);
            var killAfter = TimeSpan.FromMilliseconds(800 + (r * 377 % 1_000));
            serverErrors += await round.IngestAndKillAsync(killAfter, cancellationToken);
            if (r == 1)
            {
                ExposureLogPhase.Tear(service);
            }

            if (!await RestartAsync(r, channel, newestValid, readyWithin, cancellationToken))
            {
                return serverErrors;
            }

            var lost = await round.LostAsync(cancellationToken);
            _acknowledged += round.Acknowledged;
            _lost += lost;
            Console.WriteLine($"chaos: round {r}: killed after {killAfter.TotalMilliseconds:F0} ms, {round.Acknowledged:N0} events acknowledged, {lost} lost");
            if (lost > 0)
            {
                details.Add($"round {r}: {lost} of {round.Acknowledged} acknowledged events are missing from the event log");
            }

            if (r == 1)
            {
                var (problem, report) = await ExposureLogPhase.VerifyAsync(service, 20, cancellationToken);
                _exposureReadOk = problem is null ? 1 : 0;
                _exposureLines = report?.Lines ?? double.NaN;
                _exposureSkipped = report?.SkippedLines ?? double.NaN;
                Console.WriteLine($"chaos: exposure log after the torn line: {problem ?? "reads"}; {report?.Lines} lines, {report?.SkippedLines} skipped");
                if (problem is not null)
                {
                    details.Add($"exposure log: {problem}");
                }
            }
        }

        return serverErrors;
    }

    /// <summary>
    /// Publishes a valid copy of the serving version as <paramref name="round"/>'s new version, asks to activate it and
    /// kills the service while that call is in flight; the restart must come up ready and serve the version the store
    /// records as active (<c>ACTIVE</c>): the copy when the activation answered 2xx, otherwise the copy or the old
    /// version, whichever the record names (an unacknowledged activation may or may not have happened, never half).
    /// Returns the 5xx answers seen.
    /// </summary>
    public async Task<int> ActivationRoundAsync(int round, string channel, TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        if (!service.IsRunning)
        {
            return 0; // an earlier restart failed and was reported
        }

        var version = $"v{50 + round:D4}";
        var serving = await service.ActiveVersionAsync(channel, cancellationToken) ?? throw new InvalidOperationException($"{channel} serves no version");
        new ArtifactCorruptor(service.Artifacts).CopyValid(channel, serving, version);
        var activation = service.ActivateAsync(channel, version, cancellationToken);
        await Task.Delay(5, cancellationToken);
        await service.KillAsync();
        var serverErrors = 0;
        var acknowledged = false;
        try
        {
            using var response = await activation;
            serverErrors = (int)response.StatusCode >= 500 ? 1 : 0;
            acknowledged = response.IsSuccessStatusCode;
            Console.WriteLine($"chaos: activation of {channel}/{version} answered {(int)response.StatusCode} before the kill");
        }
        catch (HttpRequestException)
        {
            _activationInFlight = 1;
            Console.WriteLine($"chaos: activation of {channel}/{version} was in flight when the service was killed");
        }

        var recordFile = Path.Combine(service.Artifacts, channel, "ACTIVE");
        var recorded = File.Exists(recordFile) ? File.ReadAllText(recordFile).Trim() : null;
        var expected = acknowledged || recorded == version ? version : serving;
        if (acknowledged && recorded != version)
        {
            details.Add($"round {round}: the activation of {version} answered 2xx but the store records {recorded ?? "no version"} as active");
        }

        await RestartAsync(round, channel, expected, readyWithin, cancellationToken);
        return serverErrors;
    }

    public void Report(Dictionary<string, double> figures)
    {
        figures["kill_rounds"] = _rounds;
        figures["restarts_ok"] = _restartsOk;
        figures["restarts_serving_newest_valid"] = _servingNewestValid;
        figures["acknowledged_events"] = _acknowledged;
        figures["acknowledged_events_lost"] = _lost;
        figures["restart_max_s"] = _slowestRestart;
        figures["exposure_log_read_ok"] = _exposureReadOk;
        figures["exposure_log_lines"] = _exposureLines;
        figures["exposure_log_skipped_lines"] = _exposureSkipped;
        figures["activation_in_flight_at_kill"] = _activationInFlight;
    }

    private async Task<bool> RestartAsync(int round, string channel, string newestValid, TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        _rounds++;
        var watch = Stopwatch.StartNew();
        if (!await service.StartAsync(readyWithin, cancellationToken))
        {
            details.Add($"round {round}: the service did not come back ready after kill -9");
            return false;
        }

        _slowestRestart = Math.Max(_slowestRestart, watch.Elapsed.TotalSeconds);
        using var recommend = await service.Http.GetAsync(new Uri("/recommend/1?k=10", UriKind.Relative), cancellationToken);
        if (recommend.StatusCode != HttpStatusCode.OK)
        {
            details.Add($"round {round}: /recommend answered {(int)recommend.StatusCode} after the restart");
            return false;
        }

        _restartsOk++;
        var active = await service.ActiveVersionAsync(channel, cancellationToken);
        if (active == newestValid)
        {
            _servingNewestValid++;
        }
        else
        {
            details.Add($"round {round}: after the restart {channel} serves {active}, not the newest valid version {newestValid}");
        }

        return true;
    }
}

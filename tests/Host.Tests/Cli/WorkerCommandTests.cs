using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Stores;

namespace RecFramework.Host.Tests.Cli;

/// <summary>
/// <c>worker</c>: the model-update worker as its own process over a shared event log and artifact store. It builds,
/// publishes and activates an ItemCF version from the log; a serving instance that watches the store picks the
/// version up; SIGTERM stops the worker cleanly.
/// </summary>
public sealed class WorkerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recfw-cli-worker-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Json(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal);

    [Fact]
    public async Task TheWorkerProcessPublishesAndActivatesAVersionThatAServingInstancePicksUp()
    {
        var events = Path.Combine(_dir, "events.db");
        var artifacts = Path.Combine(_dir, "artifacts");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using (var store = new SqliteEventStore(events))
        {
            var records = new List<EventRecord>();
            for (var user = 0; user < 40; user++)
            {
                records.Add(new(new Interaction(user, 1 + (user % 4), InteractionType.Click, now - 600 + user)));
                records.Add(new(new Interaction(user, 11 + (user % 4), InteractionType.Click, now - 500 + user)));
            }

            await store.AppendAsync(records);
        }

        var config = Path.Combine(_dir, "worker.json");
        File.WriteAllText(config, $$"""
            { "RecFramework": {
                "Stores": { "EventsPath": "{{Json(events)}}" },
                "Artifacts": { "Root": "{{Json(artifacts)}}" },
                "Channels": { "swing": { "Enabled": false }, "usercf": { "Enabled": false }, "two-tower": { "Enabled": false } },
                "Updates": { "RunAtStart": true, "LeaseOwner": "worker-process",
                             "Channels": { "itemcf": { "EveryMinutes": 60, "WindowMinutes": 1440 } } } } }
            """);

        // The serving instance: nothing published yet, so itemcf starts unready; it watches the store every second.
        var (app, _) = await ServiceAppFactory.StartAsync(new ServeSettings(BuildMissing: false), new Dictionary<string, string?>
        {
            ["RecFramework:Artifacts:Root"] = artifacts,
            ["RecFramework:Artifacts:WatchSeconds"] = "1",
        });
        await using var __ = app;
        var serving = app.Services.GetRequiredService<ChannelLifecycle>().ArtifactChannel("itemcf")!;
        Assert.Null(serving.ActiveVersion);

        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RecFramework.Host"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
        };
        foreach (var arg in new[] { "worker", "--config", config })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RECFW_RecFramework__ExposureLog__Path"] = Path.Combine(_dir, "exposures.jsonl");
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        try
        {
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
            {
                while (serving.ActiveVersion != "v0001")
                {
                    Assert.False(timeout.IsCancellationRequested || process.HasExited, $"the serving instance still serves {serving.ActiveVersion ?? "nothing"}; worker output:\n{Output()}");
                    await Task.Delay(100);
                }
            }

            Assert.Equal("v0001", File.ReadAllText(Path.Combine(artifacts, "itemcf", "ACTIVE")));
            Assert.Contains("worker-process", File.ReadAllText(Path.Combine(artifacts, "update-itemcf.lease")), StringComparison.Ordinal);

            // The update is over once its outcome is logged (the console log is written in the background): stop the
            // idle worker then. Stopping one mid-update is StoppedUpdateTests' subject.
            const string Outcome = "Update of itemcf (periodic): v0001 built from 80 events";
            using (var logged = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
            {
                while (!Output().Contains(Outcome, StringComparison.Ordinal))
                {
                    Assert.False(logged.IsCancellationRequested || process.HasExited, $"the worker did not log the update's outcome; output:\n{Output()}");
                    await Task.Delay(100);
                }
            }

            // SIGTERM, what an orchestrator sends. Not SIGINT: a test run started in the background by a non-interactive
            // shell (nohup, `&`) inherits SIGINT as ignored, and .NET keeps an inherited SIG_IGN, so the worker would
            // never see it (two CI-mode runs here waited out the 2 minutes below).
            using (var interrupt = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
            Assert.True(process.HasExited, $"the worker did not exit within 2 minutes of SIGTERM; output so far:\n{Output()}");
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{Output()}");
            Assert.Equal(["v0001"], Directory.EnumerateDirectories(Path.Combine(artifacts, "itemcf")).Select(Path.GetFileName));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}

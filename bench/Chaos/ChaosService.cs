using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// The real Host executable (<c>RecFramework.Host serve</c>) as a child process on loopback, over fixed data folders
/// (dataset, artifacts, SQLite event log, exposure log, configuration file) so that it can be killed and started again
/// on the same state. Each start takes a new free port and a new <see cref="HttpClient"/>.
/// </summary>
internal sealed class ChaosService : IAsyncDisposable
{
    /// <summary>The admin key the service is started with.</summary>
    public const string AdminKey = "chaos-admin-key-0123456789abcdef";

    private const int KeptOutputLines = 200;
    private readonly Queue<string> _output = new();
    private Process? _process;

    public ChaosService(string root)
    {
        Root = root;
        Directory.CreateDirectory(Artifacts);
    }

    public string Root { get; }

    public string Data => Path.Combine(Root, "data");

    public string Artifacts => Path.Combine(Root, "artifacts");

    public string EventsPath => Path.Combine(Root, "events.db");

    public string ExposurePath => Path.Combine(Root, "exposures.jsonl");

    public string ConfigPath => Path.Combine(Root, "chaos.json");

    /// <summary>The client of the current process (base address set, no timeout beyond 30 s).</summary>
    public HttpClient Http { get; private set; } = new();

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the executable and waits until <c>GET /ready</c> answers 200; false (with the output printed) when it does not.</summary>
    public async Task<bool> StartAsync(TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RecFramework.Host"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var arg in new[] { "serve", "--data", Data, "--urls", $"http://127.0.0.1:{port}", "--config", ConfigPath, "--artifacts", Artifacts })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RECFW_RecFramework__Service__AdminApiKey"] = AdminKey;
        start.Environment["RECFW_RecFramework__Stores__EventsPath"] = EventsPath;
        start.Environment["RECFW_RecFramework__ExposureLog__Path"] = ExposurePath;
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        start.Environment["DOTNET_GCgen0size"] = ServeBenchmark.ServiceGen0Budget;
        lock (_output)
        {
            _output.Clear();
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http.Dispose();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < readyWithin)
        {
            if (_process.HasExited)
            {
                Console.WriteLine($"chaos: the service exited with code {_process.ExitCode} before it was ready:\n{Output()}");
                return false;
            }

            try
            {
                using var ready = await Http.GetAsync(new Uri("/ready", UriKind.Relative), cancellationToken);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, cancellationToken);
        }

        Console.WriteLine($"chaos: the service was not ready within {readyWithin.TotalSeconds:F0} s:\n{Output()}");
        return false;
    }

    /// <summary>SIGKILL (<see cref="Process.Kill()"/> on Linux) and wait for the exit.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The last lines the process wrote (for failure reports).</summary>
    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    /// <summary><c>POST /admin/channels/{channel}/activate/{version}</c> with the admin key.</summary>
    public Task<HttpResponseMessage> ActivateAsync(string channel, string version, CancellationToken cancellationToken) =>
        Http.SendAsync(Admin(HttpMethod.Post, $"/admin/channels/{channel}/activate/{version}"), cancellationToken);

    /// <summary>An admin request carrying the key.</summary>
    public static HttpRequestMessage Admin(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", AdminKey);
        return request;
    }

    /// <summary>The version <paramref name="channel"/> serves, from <c>GET /admin/channels</c>.</summary>
    public async Task<string?> ActiveVersionAsync(string channel, CancellationToken cancellationToken)
    {
        using var response = await Http.SendAsync(Admin(HttpMethod.Get, "/admin/channels"), cancellationToken);
        using var document = System.Text.Json.JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancellationToken));
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            if (entry.GetProperty("channel").GetString() == channel)
            {
                return entry.GetProperty("activeVersion").GetString();
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Http.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Unix seconds now, as the events carry them.</summary>
    public static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A JSON body.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

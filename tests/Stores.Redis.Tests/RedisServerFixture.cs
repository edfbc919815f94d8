using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis.Tests;

/// <summary>
/// Starts one real <c>redis-server</c> on 127.0.0.1 and a free port (no persistence, temp working directory) for
/// the whole test collection and stops it afterwards. Fails, never skips, when <c>redis-server</c> is missing.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly Process _server;
    private readonly string _directory;
    private readonly List<ConnectionMultiplexer> _connections = [];
    private ConnectionMultiplexer? _shared;

    public RedisServerFixture()
    {
        var executable = FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not on PATH; the Redis store tests need a real server (Debian: apt-get install redis-server; .ci/run installs it).");
        _directory = Directory.CreateTempSubdirectory("rf-redis-").FullName;
        Port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--protected-mode", "yes" })
        {
            start.ArgumentList.Add(arg);
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        _server.OutputDataReceived += static (_, _) => { };
        _server.ErrorDataReceived += static (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        WaitUntilReady();
    }

    public int Port { get; }

    /// <summary>One connection shared by the contract tests (each test isolates itself with a unique key prefix).</summary>
    public ConnectionMultiplexer Shared => _shared ??= Connect();

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>A new, independent connection (as a separate Host replica would open), closed with the fixture.</summary>
    public ConnectionMultiplexer Connect()
    {
        var connection = ConnectionMultiplexer.Connect(Configuration);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }

    /// <summary>
    /// Store options with a key prefix no other test uses, so tests share the server but not state; the popularity
    /// ranking is read afresh on every call unless <paramref name="popularityRefreshMs"/> says otherwise.
    /// </summary>
    public static IOptions<StoreOptions> UniqueOptions(int historyCapacity = 200, int popularityRefreshMs = 0) =>
        Microsoft.Extensions.Options.Options.Create(new StoreOptions { KeyPrefix = $"t{Guid.NewGuid():N}:", HistoryCapacity = historyCapacity, PopularityRefreshMs = popularityRefreshMs, Backend = "redis" });

    public void Dispose()
    {
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        try
        {
            if (!_server.HasExited)
            {
                _server.Kill();
                _server.WaitForExit(10_000);
            }
        }
        finally
        {
            _server.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void WaitUntilReady()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_server.ExitCode} on port {Port}.");
            }

            try
            {
                using var probe = ConnectionMultiplexer.Connect($"127.0.0.1:{Port},connectTimeout=500");
                probe.GetDatabase().Ping();
                return;
            }
            catch (RedisConnectionException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not answer on 127.0.0.1:{Port} within 20 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

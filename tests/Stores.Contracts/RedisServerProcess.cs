using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RecFramework.Stores.Contracts;

/// <summary>
/// A real <c>redis-server</c> for tests: 127.0.0.1, a free port, <c>--save "" --appendonly no</c>, a temp working
/// directory; killed and cleaned up on dispose. Throws (so tests FAIL, never skip) when <c>redis-server</c> is not on
/// PATH or does not answer PING.
/// </summary>
public sealed class RedisServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RedisServerProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>
    /// StackExchange.Redis configuration string for this server. Command timeouts are 30 s, not the client's 5 s: the
    /// tests run beside other test assemblies on two busy cores, where a loopback command has been seen to wait 5 s.
    /// </summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,syncTimeout=30000,asyncTimeout=30000";

    /// <summary>Starts a server and waits until it answers PING.</summary>
    public static RedisServerProcess Start()
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not on PATH; the Redis store tests need a real server (Debian: apt-get install redis-server; .ci/run installs it).");
        var directory = Directory.CreateTempSubdirectory("rf-redis-").FullName;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServerProcess(process, directory, port);
        try
        {
            server.WaitUntilReady();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server and deletes its directory.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void WaitUntilReady()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}.");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                stream.ReadTimeout = 1000;
                stream.Write("PING\r\n"u8);
                var buffer = new byte[16];
                var read = stream.Read(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }

            Thread.Sleep(50);
        }

        throw new InvalidOperationException($"redis-server did not answer PING on 127.0.0.1:{Port} within 20 s.");
    }
}

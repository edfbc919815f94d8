using System.Net;
using System.Net.Sockets;
using System.Text;
using RecFramework.Bench.Serve;

namespace RecFramework.Bench.Tests;

/// <summary>
/// <see cref="LoadGenerator"/>'s connection bound: the open loop keeps to its keep-alive connections, and a request
/// that waits for a free one counts the wait in its latency (from its scheduled time).
/// </summary>
public sealed class LoadGeneratorConnectionTests
{
    [Fact]
    public async Task TheOpenLoopNeverOpensMoreThanItsConnectionsAndCountsTheWaitForOne()
    {
        // 200 requests/s against a server that answers each after 25 ms: about five requests are in flight at once.
        await using var bounded = await SlowServer.StartAsync(TimeSpan.FromMilliseconds(25));
        using (var load = new LoadGenerator(bounded.Address, users: 100, k: 10, seed: 1, connections: 2))
        {
            var (_, log) = await load.OpenLoopAsync(200, TimeSpan.FromSeconds(1), null, CancellationToken.None);
            Assert.Equal(200, log.Count);
            Assert.Equal(0, log.Failed);
            Assert.InRange(load.ConnectionsOpened, 1, 2);
            Assert.InRange(bounded.Accepted, 1, 2);

            // Two connections serve at most 80 requests/s: the schedule falls behind, and the latency says so.
            Assert.True(log.Percentile(0.99) > 200, $"p99 {log.Percentile(0.99):F1} ms: the wait for a connection was not counted");
        }

        // Without the bound the generator opens a connection whenever none is idle (the behaviour the bound removes).
        await using var unbounded = await SlowServer.StartAsync(TimeSpan.FromMilliseconds(25));
        using (var load = new LoadGenerator(unbounded.Address, users: 100, k: 10, seed: 1, connections: 512))
        {
            var (_, log) = await load.OpenLoopAsync(200, TimeSpan.FromSeconds(1), null, CancellationToken.None);
            Assert.Equal(200, log.Count);
            Assert.True(unbounded.Accepted > 2, $"{unbounded.Accepted} connections accepted");
            Assert.True(load.ConnectionsOpened > 2, $"{load.ConnectionsOpened} connections opened");
            Assert.True(log.Percentile(0.5) < 200, $"p50 {log.Percentile(0.5):F1} ms");
        }
    }

    [Fact]
    public void ItRefusesAConnectionBoundBelowOne() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoadGenerator(new Uri("http://127.0.0.1:1/"), 10, 10, 1, connections: 0));

    /// <summary>A keep-alive HTTP/1.1 server that answers every request with <c>{}</c> after a delay, counting connections.</summary>
    private sealed class SlowServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TimeSpan _delay;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _connections = [];
        private Task _accepting = Task.CompletedTask;
        private int _accepted;

        private SlowServer(TimeSpan delay) => _delay = delay;

        public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public int Accepted => Volatile.Read(ref _accepted);

        public static Task<SlowServer> StartAsync(TimeSpan delay)
        {
            var server = new SlowServer(delay);
            server._listener.Start();
            server._accepting = server.AcceptAsync();
            return Task.FromResult(server);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await Task.WhenAll([.. _connections, _accepting]).ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client));
                }
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var pending = new StringBuilder();
            var answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    int end;
                    while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        pending.Remove(0, end + 4);
                        await Task.Delay(_delay, _stop.Token);
                        await stream.WriteAsync(answer, _stop.Token);
                    }
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
            }
        }
    }
}

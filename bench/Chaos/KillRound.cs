using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// One <c>kill -9</c> round during event ingestion: posters send batches of valid events (each event with a unique
/// request id) and remember the ones answered 2xx; the service is killed with SIGKILL mid-stream. After the restart
/// (<see cref="ChaosService.StartAsync"/>) <see cref="LostAsync"/> reads the SQLite event log read-only and counts
/// acknowledged events that are missing.
/// </summary>
internal sealed class KillRound(ChaosService service, int round, int users, int items)
{
    private const int Posters = 2;
    private const int BatchSize = 20;
    private readonly ConcurrentQueue<string> _acknowledged = new();

    public string Prefix => $"chaos-{round}-";

    public int Acknowledged => _acknowledged.Count;

    /// <summary>Posts until the service dies (killed after <paramref name="killAfter"/>); returns the 5xx answers seen.</summary>
    public async Task<int> IngestAndKillAsync(TimeSpan killAfter, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var serverErrors = 0;
        var posters = Enumerable.Range(0, Posters).Select(p => Task.Run(async () =>
        {
            var random = new Random((round * 31) + p);
            for (var batch = 0; !stop.IsCancellationRequested && batch < 100_000; batch++)
            {
                var ids = Enumerable.Range(0, BatchSize).Select(i => $"{Prefix}{p}-{batch}-{i}").ToArray();
                var now = ChaosService.Now();
                var body = new StringBuilder("{\"events\":[");
                for (var i = 0; i < ids.Length; i++)
                {
                    body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                        $$"""{"userId":{{random.Next(1, users)}},"itemId":{{random.Next(1, items)}},"type":"click","timestamp":{{now}},"requestId":"{{ids[i]}}"}""");
                }

                try
                {
                    using var response = await service.Http.PostAsync(new Uri("/events", UriKind.Relative), ChaosService.Json(body.Append("]}").ToString()), stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        foreach (var id in ids)
                        {
                            _acknowledged.Enqueue(id);
                        }
                    }
                    else if ((int)response.StatusCode >= 500)
                    {
                        Interlocked.Increment(ref serverErrors);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                {
                    if (!service.IsRunning || stop.IsCancellationRequested)
                    {
                        return;
                    }

                    await Task.Delay(10, CancellationToken.None);
                }
            }
        }, CancellationToken.None)).ToArray();

        await Task.Delay(killAfter, cancellationToken);
        await service.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(posters);
        return serverErrors;
    }

    /// <summary>Acknowledged events of this round missing from the event log (read-only, beside the running service).</summary>
    public async Task<int> LostAsync(CancellationToken cancellationToken)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var connection = new SqliteConnectionStringBuilder { DataSource = service.EventsPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var sqlite = new SqliteConnection(connection);
        await sqlite.OpenAsync(cancellationToken);
        await using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT request_id FROM events WHERE request_id LIKE $prefix;";
        command.Parameters.AddWithValue("$prefix", Prefix + "%");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(reader.GetString(0));
        }

        return _acknowledged.Count(id => !stored.Contains(id));
    }
}

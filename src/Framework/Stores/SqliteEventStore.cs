using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace RecFramework.Stores;

/// <summary>
/// The embedded event log: one SQLite file in WAL mode with <c>synchronous=FULL</c>.
/// </summary>
/// <remarks>
/// <para>
/// Durability: in WAL mode <c>synchronous=NORMAL</c> survives a process crash but can lose the last committed
/// transactions on power loss or an OS crash, because the WAL is only fsynced at checkpoints. The event API promises
/// that an event is durable once the response is sent, so this store uses <c>FULL</c>: every commit fsyncs the WAL
/// before <see cref="AppendAsync"/> completes.
/// </para>
/// <para>
/// Group commit keeps that cheap under load: appends are queued and a single writer drains everything queued so far
/// into one <c>BEGIN IMMEDIATE</c> transaction (one prepared insert per event, one fsync per group), then completes
/// every waiting caller. Concurrent appends are therefore safe and each batch stays contiguous in the log. Disposing
/// the store writes every queued batch before it returns (graceful shutdown loses nothing).
/// </para>
/// <para>
/// Sequences are the table's integer primary key, taken as <c>MAX(seq) + 1</c> inside the write transaction, so they
/// stay unique and increasing across restarts. Reads use their own connections and never block the writer (WAL).
/// </para>
/// </remarks>
public sealed class SqliteEventStore : IEventStore, IDisposable, IAsyncDisposable
{
    private const int MaxEventsPerCommit = 50_000;
    private const string Columns = "seq, user_id, item_id, type, ts, weight, request_id, assignment";

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _maxSequence;
    private readonly SqliteParameter[] _parameters;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writeLoop;
    private long _lastSequence;
    private int _disposed;

    /// <summary>Opens (or creates) the log at <paramref name="path"/>, creating its directory when missing.</summary>
    /// <param name="path">File path, e.g. <c>data/events.db</c> (<see cref="StoreOptions.EventsPath"/>).</param>
    public SqliteEventStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        FilePath = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        _writer = new SqliteConnection(_connectionString);
        try
        {
            _writer.Open();
            Execute(_writer, "PRAGMA journal_mode=WAL;");
            Execute(_writer, "PRAGMA synchronous=FULL;");
            Execute(_writer, "PRAGMA busy_timeout=30000;");
            Execute(_writer, """
                CREATE TABLE IF NOT EXISTS events (
                    seq INTEGER PRIMARY KEY,
                    user_id INTEGER NOT NULL,
                    item_id INTEGER NOT NULL,
                    type INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    weight REAL NOT NULL,
                    request_id TEXT NULL,
                    assignment TEXT NULL);
                """);
            _insert = _writer.CreateCommand();
            _insert.CommandText = $"INSERT INTO events ({Columns}) VALUES ($seq, $user, $item, $type, $ts, $weight, $request, $assignment);";
            _parameters =
            [
                _insert.Parameters.Add("$seq", SqliteType.Integer),
                _insert.Parameters.Add("$user", SqliteType.Integer),
                _insert.Parameters.Add("$item", SqliteType.Integer),
                _insert.Parameters.Add("$type", SqliteType.Integer),
                _insert.Parameters.Add("$ts", SqliteType.Integer),
                _insert.Parameters.Add("$weight", SqliteType.Real),
                _insert.Parameters.Add("$request", SqliteType.Text),
                _insert.Parameters.Add("$assignment", SqliteType.Text),
            ];
            _maxSequence = _writer.CreateCommand();
            _maxSequence.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events;";
            _lastSequence = (long)_maxSequence.ExecuteScalar()!;
        }
        catch
        {
            _writer.Dispose();
            throw;
        }

        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    /// <remarks>
    /// Cancellation is honoured until the batch is queued; once queued it is written (and the call waits for the
    /// commit), so a completed task always means the events are on disk.
    /// </remarks>
    public async ValueTask<long> AppendAsync(IReadOnlyList<EventRecord> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null)
            {
                throw new ArgumentException($"events[{i}] is null.", nameof(events));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return Interlocked.Read(ref _lastSequence);
        }

        var pending = new PendingAppend(events, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAsync(long afterSequence, int max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM events WHERE seq > $after ORDER BY seq LIMIT $max;";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var interaction = new Interaction(reader.GetInt64(1), reader.GetInt64(2), (InteractionType)reader.GetInt32(3), reader.GetInt64(4), (float)reader.GetDouble(5));
            yield return new EventRecord(
                interaction,
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt64(0));
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Writes every queued batch, then closes the database.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _writeLoop.GetAwaiter().GetResult();
        CloseWriter();
    }

    /// <summary>Writes every queued batch, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writeLoop.ConfigureAwait(false);
        CloseWriter();
    }

    private void CloseWriter()
    {
        _insert.Dispose();
        _maxSequence.Dispose();
        _writer.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingAppend>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var events = 0;
            while (events < MaxEventsPerCommit && reader.TryRead(out var pending))
            {
                group.Add(pending);
                events += pending.Events.Count;
            }

            try
            {
                var last = WriteGroup(group);
                var end = last;
                for (var i = group.Count - 1; i >= 0; i--)
                {
                    group[i].Done.TrySetResult(end);
                    end -= group[i].Events.Count;
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }
    }

    private long WriteGroup(List<PendingAppend> group)
    {
        using var transaction = _writer.BeginTransaction(deferred: false);
        _insert.Transaction = transaction;
        _maxSequence.Transaction = transaction;
        var sequence = (long)_maxSequence.ExecuteScalar()!;
        foreach (var pending in group)
        {
            foreach (var record in pending.Events)
            {
                var e = record.Event;
                _parameters[0].Value = ++sequence;
                _parameters[1].Value = e.UserId;
                _parameters[2].Value = e.ItemId;
                _parameters[3].Value = (int)e.Type;
                _parameters[4].Value = e.Timestamp;
                _parameters[5].Value = (double)e.Weight;
                _parameters[6].Value = (object?)record.RequestId ?? DBNull.Value;
                _parameters[7].Value = (object?)record.Assignment ?? DBNull.Value;
                _insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        Interlocked.Exchange(ref _lastSequence, sequence);
        return sequence;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record PendingAppend(IReadOnlyList<EventRecord> Events, TaskCompletionSource<long> Done);
}

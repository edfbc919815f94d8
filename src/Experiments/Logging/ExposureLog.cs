using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RecFramework.Experiments;
using RecFramework.Pipeline;

namespace RecFramework.Experiments.Logging;

/// <summary>
/// The service's exposure log: one compact <c>request</c> line per answer carrying its served items and their
/// channels as arrays (about 1 KB at k = 50), and a line for every positive event that names the request it answers, typed
/// by its kind (<c>click</c>, <c>like</c>, <c>share</c>, <c>dwell</c> with its seconds as <c>value</c>…) — all carrying the user's
/// assignment, in the logged-events JSONL format that <c>compare --mode logged</c> analyses (docs/comparison.md).
/// Lines are appended under a lock to a buffered file flushed every second and on disposal, which the container
/// does after the server has stopped, so a graceful shutdown loses nothing. A request's lines are serialised straight
/// to UTF-8 in a per-thread buffer, and the requests remembered for click attribution live in a
/// <see cref="ServedRequestRing"/> (preallocated flat arrays, no object per request): at hundreds of requests per second,
/// remembered objects were most of what each young collection promoted and what later made gen 2 collect.
/// A line torn by a crash (no final newline) is cut off when the log is opened, before anything is appended; the
/// file is rotated at <see cref="ExposureLogOptions.MaxFileBytes"/> keeping <see cref="ExposureLogOptions.RetainedFiles"/>.
/// </summary>
public sealed class ExposureLog : IExposureSink, IAsyncDisposable
{
    private const int RememberedRequests = 100_000;

    // 40 items a request on average: 48 MB (item id + channel); answers of k = 50 are all kept for the last 80 000 requests.
    private const int RememberedItems = 4_000_000;

    private readonly object _gate = new();
    private readonly long _maxFileBytes;
    private readonly int _retainedFiles;
    private FileStream _writer;
    private readonly Timer _flushTimer;
    private readonly ServedRequestRing _recent = new(RememberedRequests, RememberedItems);
    private bool _disposed;

    /// <summary>Opens (appends to) the log file named by <paramref name="options"/>.</summary>
    public ExposureLog(IOptions<ExposureLogOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = System.IO.Path.GetFullPath(options.Value.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _maxFileBytes = options.Value.MaxFileBytes;
        _retainedFiles = options.Value.RetainedFiles;
        TornBytesRemoved = TruncateTornLine(Path);
        _writer = Open(Path);
        _flushTimer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Absolute path of the JSONL file.</summary>
    public string Path { get; }

    /// <summary>Bytes of a torn last line (a crash mid-write) cut off when the log was opened; 0 when it ended cleanly.</summary>
    public long TornBytesRemoved { get; }

    /// <summary>Clicks whose request id was unknown (too old, or from before a restart); not logged.</summary>
    public long UnattributedClicks => Interlocked.Read(ref _unattributed);

    private long _unattributed;

    /// <inheritdoc />
    public void Served(ExperimentRecommendation served)
    {
        ArgumentNullException.ThrowIfNull(served);
        Served(served.RequestId, served.Response, served.Assignment, served.K, served.Time, served.Teams);
    }

    /// <summary>Logs a served response.</summary>
    /// <param name="requestId">Request id.</param>
    /// <param name="response">The answer.</param>
    /// <param name="assignment">The user's assignment.</param>
    /// <param name="k">Items asked for.</param>
    /// <param name="time">When it was served.</param>
    /// <param name="teams">In an interleaving experiment, the variant that placed each item (logged as <c>teams</c>); null otherwise.</param>
    public void Served(string requestId, RecommendResponse response, ExperimentAssignment assignment, int k, DateTimeOffset time, IReadOnlyList<string>? teams = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(assignment);
        if (teams is not null && teams.Count != response.Items.Count)
        {
            throw new ArgumentException($"teams has {teams.Count} entries for {response.Items.Count} items.", nameof(teams));
        }

        var day = Day(time);
        var layers = assignment.Stamp.Layers;
        var lines = Lines.Start();
        var items = new long[response.Items.Count];
        var channels = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = response.Items[i].ItemId;
            channels[i] = ServedRequestRing.ChannelOf(response.Items[i]);
        }

        lines.Append(new LoggedEvent
        {
            Type = "request", RequestId = requestId, UserId = response.UserId, Day = day, K = k, Holdout = assignment.Holdout,
            ConfigVersion = assignment.ConfigVersion, Layers = layers, Items = items, Channels = channels,
            ChannelVersions = VersionsOf(response), Teams = teams, Unserved = response.Unserved,
        });
        _recent.Remember(requestId, response.UserId, assignment.Holdout, assignment.ConfigVersion, layers, response.Items, teams);
        Write(lines.Written);
    }

    /// <summary>Logs a click on an item of a served request; false when the request or item is unknown.</summary>
    public bool Clicked(string requestId, long userId, long itemId, DateTimeOffset time) =>
        Engaged(requestId, userId, itemId, InteractionType.Click, null, time);

    /// <summary>
    /// Logs a positive event of kind <paramref name="type"/> (and its <paramref name="value"/> for dwell and complete) on an
    /// item of a served request; false when the request or item is unknown.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is an impression (not a positive event).</exception>
    public bool Engaged(string requestId, long userId, long itemId, InteractionType type, double? value, DateTimeOffset time)
    {
        if (type == InteractionType.Impression)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "An impression is logged by Served, not as an engagement.");
        }

        if (!_recent.TryFind(requestId, userId, itemId, out var served))
        {
            Interlocked.Increment(ref _unattributed);
            return false;
        }

        var lines = Lines.Start();
        lines.Append(new LoggedEvent { Type = type.ToName(), Value = value, RequestId = requestId, UserId = userId, Day = Day(time), ItemId = itemId, Position = served.Position, Channel = served.Channel, Holdout = served.Holdout, ConfigVersion = served.ConfigVersion, Layers = served.Layers, Team = served.Team });
        Write(lines.Written);
        return true;
    }

    /// <summary>Pushes buffered lines to the file.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _writer.Flush();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _flushTimer.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Flush();
            _writer.Dispose();
        }
    }

    /// <summary>The version each channel that answered served from, by channel; null when none has one.</summary>
    private static Dictionary<string, string>? VersionsOf(RecommendResponse response)
    {
        Dictionary<string, string>? versions = null;
        foreach (var outcome in response.Channels)
        {
            if (outcome is { Status: ChannelStatus.Ok, Version: { } version })
            {
                (versions ??= new Dictionary<string, string>(StringComparer.Ordinal))[outcome.Channel] = version;
            }
        }

        return versions;
    }

    private static int Day(DateTimeOffset time) => (int)(time.ToUnixTimeSeconds() / 86_400);

    private void Write(ReadOnlySpan<byte> lines)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_maxFileBytes > 0 && _writer.Position > 0 && _writer.Position + lines.Length > _maxFileBytes)
            {
                Rotate();
            }

            _writer.Write(lines);
        }
    }

    /// <summary>Closes the current file, shifts <c>.1</c>…<c>.N</c> up by one (dropping the oldest) and starts a new file.</summary>
    private void Rotate()
    {
        _writer.Flush();
        _writer.Dispose();
        if (_retainedFiles == 0)
        {
            File.Delete(Path);
        }
        else
        {
            File.Delete($"{Path}.{_retainedFiles}");
            for (var n = _retainedFiles - 1; n >= 1; n--)
            {
                if (File.Exists($"{Path}.{n}"))
                {
                    File.Move($"{Path}.{n}", $"{Path}.{n + 1}");
                }
            }

            File.Move(Path, $"{Path}.1");
        }

        _writer = Open(Path);
    }

    private static FileStream Open(string path) => new(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);

    /// <summary>Cuts the file back to its last newline; returns the bytes removed.</summary>
    internal static long TruncateTornLine(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var length = stream.Length;
        var end = length;
        var buffer = new byte[4096];
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, (int)(end - start));
            var newline = Array.LastIndexOf(buffer, (byte)'\n', (int)(end - start) - 1, (int)(end - start));
            if (newline >= 0)
            {
                end = start + newline + 1;
                break;
            }

            end = start;
        }

        if (end < length)
        {
            stream.SetLength(end);
        }

        return length - end;
    }

    /// <summary>This thread's buffer of JSON lines (UTF-8), reused from request to request.</summary>
    private sealed class Lines
    {
        [ThreadStatic]
        private static Lines? s_current;

        private readonly ArrayBufferWriter<byte> _buffer = new(1 << 14);
        private readonly Utf8JsonWriter _json;

        private Lines() => _json = new Utf8JsonWriter(_buffer);

        public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

        public static Lines Start()
        {
            var lines = s_current ??= new Lines();
            if (lines._buffer.Capacity > 1 << 20)
            {
                lines = s_current = new Lines(); // one huge response must not pin a megabyte per thread
            }

            lines._buffer.ResetWrittenCount();
            return lines;
        }

        public void Append(LoggedEvent e)
        {
            _json.Reset(_buffer);
            JsonSerializer.Serialize(_json, e, LoggedEventJsonContext.Default.LoggedEvent);
            _json.Flush();
            _buffer.Write("\n"u8);
        }
    }
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RecFramework.Experiments;
using RecFramework.Host.Comparison;
using RecFramework.Pipeline;

namespace RecFramework.Host.Api;

/// <summary>
/// The service's exposure log: one <c>request</c> line and one <c>exposure</c> line per served item, and a
/// <c>click</c> line for every positive event that names the request it answers — all carrying the user's
/// assignment, in the logged-events JSONL format that <c>compare --mode logged</c> analyses (docs/comparison.md).
/// Lines are appended under a lock to a buffered file flushed every second and on disposal, which the container
/// does after the server has stopped, so a graceful shutdown loses nothing.
/// </summary>
internal sealed class ExposureLog : IAsyncDisposable
{
    private const int RememberedRequests = 100_000;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly object _gate = new();
    private readonly StreamWriter _writer;
    private readonly Timer _flushTimer;
    private readonly ConcurrentDictionary<string, ServedRequest> _recent = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _recentOrder = new();
    private bool _disposed;

    public ExposureLog(IOptions<HostOptions> options)
    {
        Path = System.IO.Path.GetFullPath(options.Value.ExposureLogPath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false), 1 << 16);
        _flushTimer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Absolute path of the JSONL file.</summary>
    public string Path { get; }

    /// <summary>Clicks whose request id was unknown (too old, or from before a restart); not logged.</summary>
    public long UnattributedClicks => Interlocked.Read(ref _unattributed);

    private long _unattributed;

    /// <summary>Logs a served response.</summary>
    public void Served(string requestId, RecommendResponse response, ExperimentAssignment assignment, int k, DateTimeOffset time)
    {
        var day = Day(time);
        var layers = assignment.Layers.Select(l => new LoggedLayer { Layer = l.Layer, Experiment = l.Experiment, Variant = l.Variant, Bucket = l.Bucket, Reverse = l.ReverseBucket }).ToList();
        var text = new StringBuilder();
        Append(text, new LoggedEvent { Type = "request", RequestId = requestId, UserId = response.UserId, Day = day, K = k, Holdout = assignment.Holdout, ConfigVersion = assignment.ConfigVersion, Layers = layers });
        var positions = new Dictionary<long, (int Position, string Channel)>(response.Items.Count);
        for (var i = 0; i < response.Items.Count; i++)
        {
            var item = response.Items[i];
            var channel = item.Channels.Count > 0 ? item.Channels[0] : "unknown";
            positions[item.ItemId] = (i, channel);
            Append(text, new LoggedEvent { Type = "exposure", RequestId = requestId, UserId = response.UserId, Day = day, ItemId = item.ItemId, Position = i, Channel = channel, Holdout = assignment.Holdout, ConfigVersion = assignment.ConfigVersion, Layers = layers });
        }

        Remember(requestId, new ServedRequest(response.UserId, assignment.Holdout, assignment.ConfigVersion, layers, positions));
        Write(text.ToString());
    }

    /// <summary>Logs a click on an item of a served request; false when the request or item is unknown.</summary>
    public bool Clicked(string requestId, long userId, long itemId, DateTimeOffset time)
    {
        if (!_recent.TryGetValue(requestId, out var served) || served.UserId != userId || !served.Positions.TryGetValue(itemId, out var at))
        {
            Interlocked.Increment(ref _unattributed);
            return false;
        }

        var text = new StringBuilder();
        Append(text, new LoggedEvent { Type = "click", RequestId = requestId, UserId = userId, Day = Day(time), ItemId = itemId, Position = at.Position, Channel = at.Channel, Holdout = served.Holdout, ConfigVersion = served.ConfigVersion, Layers = served.Layers });
        Write(text.ToString());
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

    private static int Day(DateTimeOffset time) => (int)(time.ToUnixTimeSeconds() / 86_400);

    private static void Append(StringBuilder text, LoggedEvent e) => text.Append(JsonSerializer.Serialize(e, Json)).Append('\n');

    private void Write(string lines)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer.Write(lines);
        }
    }

    private void Remember(string requestId, ServedRequest served)
    {
        if (_recent.TryAdd(requestId, served))
        {
            _recentOrder.Enqueue(requestId);
            while (_recentOrder.Count > RememberedRequests && _recentOrder.TryDequeue(out var oldest))
            {
                _recent.TryRemove(oldest, out _);
            }
        }
    }

    private sealed record ServedRequest(long UserId, bool Holdout, string ConfigVersion, List<LoggedLayer> Layers, Dictionary<long, (int Position, string Channel)> Positions);
}

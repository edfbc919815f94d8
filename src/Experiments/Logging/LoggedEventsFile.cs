using System.Text;
using System.Text.Json;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Logging;

/// <summary>Reads and writes experiment logs as JSONL, one <see cref="LoggedEvent"/> per line.</summary>
public static class LoggedEventsFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes requests, exposures, clicks and typed engagements of <paramref name="log"/> to <paramref name="path"/>.</summary>
    public static async Task WriteAsync(ExperimentLog log, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var writer = new StreamWriter(full, false, new UTF8Encoding(false));
        foreach (var r in log.Requests)
        {
            await WriteLineAsync(writer, Event("request", r.RequestId, r.UserId, r.Day, r.Assignment, k: r.K), cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in log.Exposures)
        {
            var line = Event("exposure", e.RequestId, e.UserId, e.Day, e.Assignment, e.ItemId, e.Position, e.Channel);
            line.Team = e.Team;
            await WriteLineAsync(writer, line, cancellationToken).ConfigureAwait(false);
        }

        foreach (var c in log.Clicks)
        {
            await WriteLineAsync(writer, Event("click", c.RequestId, c.UserId, c.Day, c.Assignment, c.ItemId, c.Position, c.Channel), cancellationToken).ConfigureAwait(false);
        }

        foreach (var g in log.Engagements)
        {
            var line = Event(g.Type, g.RequestId, g.UserId, g.Day, g.Assignment, g.ItemId, g.Position, g.Channel);
            line.Value = g.Value;
            await WriteLineAsync(writer, line, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads a JSONL file together with its rotated predecessors (<c>{path}.N</c> … <c>{path}.1</c>, oldest first).
    /// Bad lines (a line torn by a crash, a mistyped record) are skipped and counted in <paramref name="report"/>, never thrown.
    /// Accepts both compact request lines (items and channels as arrays) and the older one-line-per-exposure format, and
    /// both typed event lines (<c>like</c>, <c>dwell</c> with a <c>value</c>…, read into <see cref="ExperimentLog.Engagements"/>)
    /// and the older logs whose every positive event is a <c>click</c> line.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither the file nor a rotated one exists.</exception>
    public static ExperimentLog Read(string path, out LoggedEventsReadReport report) => Read(path, long.MaxValue, out report);

    /// <summary>
    /// Reads like <see cref="Read(string, out LoggedEventsReadReport)"/> but stops after the line that brings the records
    /// read (requests, exposures, clicks and typed events; a request line with k items is 1 + k records) to
    /// <paramref name="maxRecords"/>, oldest first, and sets <see cref="LoggedEventsReadReport.Truncated"/>: memory stays
    /// bounded by the limit whatever the size of the files. Every event line follows the request it answers, so the
    /// records read are whole (no click without its request).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither the file nor a rotated one exists.</exception>
    public static ExperimentLog Read(string path, long maxRecords, out LoggedEventsReadReport report)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        var files = RotatedSet(path);
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"Logged-events file '{path}' does not exist.", path);
        }

        var reader = new Reader(maxRecords);
        var read = new List<string>();
        foreach (var file in files)
        {
            if (reader.Full)
            {
                break;
            }

            read.Add(file);
            reader.ReadFile(file);
        }

        report = new LoggedEventsReadReport(read, reader.Lines, reader.Skipped, reader.Problems) { Truncated = reader.Full, Records = reader.Records };
        return new ExperimentLog { Requests = reader.Requests, Exposures = reader.Exposures, Clicks = reader.Clicks, Engagements = reader.Engagements };
    }

    /// <summary>Reads a file and its rotated predecessors, skipping bad lines (see <see cref="Read(string, out LoggedEventsReadReport)"/>).</summary>
    public static ExperimentLog Read(string path) => Read(path, out _);

    /// <summary>The file and its rotated predecessors that exist, oldest first.</summary>
    public static IReadOnlyList<string> RotatedSet(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var rotated = new List<(int N, string File)>();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (Directory.Exists(directory))
        {
            var prefix = Path.GetFileName(path) + ".";
            foreach (var file in Directory.EnumerateFiles(directory, prefix + "*"))
            {
                var name = Path.GetFileName(file);
                if (name.Length > prefix.Length && int.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
                {
                    rotated.Add((n, file));
                }
            }
        }

        var result = rotated.OrderByDescending(r => r.N).Select(r => r.File).ToList();
        if (File.Exists(path))
        {
            result.Add(path);
        }

        return result;
    }

    private sealed class Reader(long maxRecords)
    {
        private const int KeptProblems = 10;

        public long Records => Requests.Count + Exposures.Count + Clicks.Count + Engagements.Count;

        public bool Full { get; private set; }
        private readonly Dictionary<string, AssignmentStamp> _stamps = new(StringComparer.Ordinal);

        public List<RequestRecord> Requests { get; } = [];

        public List<ExposureRecord> Exposures { get; } = [];

        public List<ClickRecord> Clicks { get; } = [];

        public List<EngagementRecord> Engagements { get; } = [];

        public List<string> Problems { get; } = [];

        public long Lines { get; private set; }

        public long Skipped { get; private set; }

        public void ReadFile(string path)
        {
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                if (Records >= maxRecords && !string.IsNullOrWhiteSpace(line))
                {
                    // A line is left over at the limit: the read stops here.
                    Full = true;
                    return;
                }

                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                Lines++;
                var problem = Add(line);
                if (problem is not null)
                {
                    Skipped++;
                    if (Problems.Count < KeptProblems)
                    {
                        Problems.Add($"{Path.GetFileName(path)}:{number}: {problem}");
                    }
                }
            }
        }

        /// <summary>Adds one line's records; returns why the line is bad, or null.</summary>
        private string? Add(string line)
        {
            LoggedEvent? e;
            try
            {
                e = JsonSerializer.Deserialize<LoggedEvent>(line, Json);
            }
            catch (JsonException ex)
            {
                return $"not a logged event: {ex.Message}";
            }

            if (e is null || string.IsNullOrEmpty(e.RequestId))
            {
                return "request_id is missing";
            }

            if (e.Layers is null || e.ConfigVersion is null || (e.Layers.Any(l => l is null)))
            {
                return "layers or config_version is null";
            }

            var stamp = Stamp(e, _stamps);
            switch (e.Type)
            {
                case "request":
                    if (e.Items is not null && (e.Channels is null || e.Channels.Count != e.Items.Count || e.Channels.Any(string.IsNullOrEmpty)))
                    {
                        return "items and channels differ in length or a channel is empty";
                    }

                    if (e.Teams is not null && (e.Items is null || e.Teams.Count != e.Items.Count || e.Teams.Any(string.IsNullOrEmpty)))
                    {
                        return "items and teams differ in length or a team is empty";
                    }

                    Requests.Add(new RequestRecord(e.RequestId, e.UserId, e.Day, e.K ?? 0, stamp));
                    for (var i = 0; i < (e.Items?.Count ?? 0); i++)
                    {
                        Exposures.Add(new ExposureRecord(e.RequestId, e.UserId, e.Day, e.Items![i], i, e.Channels![i], stamp) { Team = e.Teams?[i] });
                    }

                    return null;
                case "exposure" or "click":
                    if (e.ItemId is not { } item || e.Position is not { } position || string.IsNullOrEmpty(e.Channel))
                    {
                        return $"{e.Type} needs item_id, position and channel";
                    }

                    if (e.Type == "exposure")
                    {
                        Exposures.Add(new ExposureRecord(e.RequestId, e.UserId, e.Day, item, position, e.Channel, stamp) { Team = e.Team });
                    }
                    else
                    {
                        Clicks.Add(new ClickRecord(e.RequestId, e.UserId, e.Day, item, position, e.Channel, stamp));
                    }

                    return null;
                default:
                    return AddEngagement(e, stamp);
            }
        }

        /// <summary>Adds a typed positive event line (like, share, dwell…); returns why it is bad, or null.</summary>
        private string? AddEngagement(LoggedEvent e, AssignmentStamp stamp)
        {
            if (!InteractionTypes.TryParse(e.Type, out var type) || type == InteractionType.Impression || !string.Equals(e.Type, type.ToName(), StringComparison.Ordinal))
            {
                return $"type '{(e.Type is { Length: > 20 } t ? t[..20] + "…" : e.Type)}' is not request, exposure or a positive event type ({string.Join(", ", InteractionTypes.Names.Skip(1))})";
            }

            if (e.ItemId is not { } item || e.Position is not { } position || string.IsNullOrEmpty(e.Channel))
            {
                return $"{e.Type} needs item_id, position and channel";
            }

            if (!InteractionTypes.TryCheckValue(type, e.Value, out var rule))
            {
                return $"value {(e.Value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(missing)")} {rule}";
            }

            Engagements.Add(new EngagementRecord(e.RequestId, e.UserId, e.Day, item, position, e.Channel, e.Type, e.Value, stamp));
            return null;
        }
    }

    private static AssignmentStamp Stamp(LoggedEvent e, Dictionary<string, AssignmentStamp> cache)
    {
        var key = JsonSerializer.Serialize(e.Layers, Json) + "|" + e.Holdout + "|" + e.ConfigVersion;
        if (!cache.TryGetValue(key, out var stamp))
        {
            stamp = new AssignmentStamp(e.Holdout, e.ConfigVersion,
                e.Layers.ToArray());
            cache[key] = stamp;
        }

        return stamp;
    }

    private static LoggedEvent Event(string type, string requestId, long userId, int day, AssignmentStamp a, long? item = null, int? position = null, string? channel = null, int? k = null) => new()
    {
        Type = type,
        RequestId = requestId,
        UserId = userId,
        Day = day,
        ItemId = item,
        Position = position,
        Channel = channel,
        K = k,
        Holdout = a.Holdout,
        ConfigVersion = a.ConfigVersion,
        Layers = [.. a.Layers],
    };

    private static async Task WriteLineAsync(StreamWriter writer, LoggedEvent e, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await writer.WriteLineAsync(JsonSerializer.Serialize(e, Json)).ConfigureAwait(false);
    }
}

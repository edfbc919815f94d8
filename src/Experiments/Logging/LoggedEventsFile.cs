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
    public static ExperimentLog Read(string path, out LoggedEventsReadReport report)
    {
        var files = ExistingRotatedSet(path);
        var reader = new Reader(filterOrphans: false);
        foreach (var file in files)
        {
            reader.ReadFile(file);
        }

        report = reader.Report(files, truncated: false);
        return reader.Log();
    }

    /// <summary>
    /// Reads like <see cref="Read(string, out LoggedEventsReadReport)"/> but keeps at most <paramref name="maxRecords"/>
    /// records (requests, exposures, clicks and typed events; a request line with k items is 1 + k records), the NEWEST
    /// ones: when the files hold more, a light first pass counts each file's records newest first, and the read starts at
    /// the first request line of the oldest file needed from which the remaining records fit, then reads the newer files
    /// whole; <see cref="LoggedEventsReadReport.Truncated"/> is set and the older records are left out. Memory stays bounded
    /// by the limit whatever the size of the files, and the CPU is at most about twice that of a plain read. The records
    /// read are whole: the read starts at a request line, and an event line (exposure, click, typed event) answering a
    /// request before that start is left out, so no click is without its request. Lines appended after the counting pass
    /// are left for the next read. When the files hold no more than the limit, the result equals the unlimited read.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither the file nor a rotated one exists.</exception>
    public static ExperimentLog Read(string path, long maxRecords, out LoggedEventsReadReport report)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        var files = ExistingRotatedSet(path);

        // Newest first: count each file's records (same rules as the read) until the limit is passed.
        var counted = new (long Records, long Lines)[files.Count];
        long newer = 0;
        var oldest = -1; // the oldest file needed, read from a request line on; -1: everything fits
        long skip = 0;   // records of that file before the start line, at least
        for (var i = files.Count - 1; i >= 0; i--)
        {
            counted[i] = Reader.Count(files[i]);
            if (newer + counted[i].Records > maxRecords)
            {
                oldest = i;
                skip = newer + counted[i].Records - maxRecords;
                break;
            }

            newer += counted[i].Records;
        }

        if (oldest < 0)
        {
            var all = new Reader(filterOrphans: false);
            for (var i = 0; i < files.Count; i++)
            {
                all.ReadFile(files[i], maxLines: counted[i].Lines);
            }

            report = all.Report(files, truncated: false);
            return all.Log();
        }

        var reader = new Reader(filterOrphans: true);
        var read = files.Skip(oldest).ToList();
        reader.ReadFile(files[oldest], skipRecords: skip, maxLines: counted[oldest].Lines);
        for (var i = oldest + 1; i < files.Count; i++)
        {
            reader.ReadFile(files[i], maxLines: counted[i].Lines);
        }

        report = reader.Report(read, truncated: true);
        return reader.Log();
    }

    private static IReadOnlyList<string> ExistingRotatedSet(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var files = RotatedSet(path);
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"Logged-events file '{path}' does not exist.", path);
        }

        return files;
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

    private sealed class Reader(bool filterOrphans)
    {
        private const int KeptProblems = 10;

        /// <summary>Request ids read, when event lines answering an unread request are left out (a read started past the oldest line).</summary>
        private readonly HashSet<string>? _readRequests = filterOrphans ? new(StringComparer.Ordinal) : null;

        public long Records => Requests.Count + Exposures.Count + Clicks.Count + Engagements.Count;

        private readonly Dictionary<string, AssignmentStamp> _stamps = new(StringComparer.Ordinal);

        public List<RequestRecord> Requests { get; } = [];

        public List<ExposureRecord> Exposures { get; } = [];

        public List<ClickRecord> Clicks { get; } = [];

        public List<EngagementRecord> Engagements { get; } = [];

        public List<string> Problems { get; } = [];

        public long Lines { get; private set; }

        public long Skipped { get; private set; }

        public LoggedEventsReadReport Report(IReadOnlyList<string> files, bool truncated) =>
            new(files, Lines, Skipped, Problems) { Truncated = truncated, Records = Records };

        public ExperimentLog Log() => new() { Requests = Requests, Exposures = Exposures, Clicks = Clicks, Engagements = Engagements };

        /// <summary>Records (by the rules of the read; bad and blank lines count 0) and lines of a file, without keeping any.</summary>
        public static (long Records, long Lines) Count(string path)
        {
            var counter = new Reader(filterOrphans: false);
            long records = 0, lines = 0;
            foreach (var line in File.ReadLines(path))
            {
                lines++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    counter.Add(line, keep: false, out var n, out _);
                    records += n;
                }
            }

            return (records, lines);
        }

        /// <summary>
        /// Reads the first <paramref name="maxLines"/> lines of a file; with <paramref name="skipRecords"/> &gt; 0 the lines are
        /// only counted until a request line before which at least that many records were counted, and read from there on.
        /// </summary>
        public void ReadFile(string path, long skipRecords = 0, long maxLines = long.MaxValue)
        {
            long number = 0, skipped = 0;
            var reading = skipRecords <= 0;
            foreach (var line in File.ReadLines(path))
            {
                if (number >= maxLines)
                {
                    return;
                }

                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (!reading)
                {
                    Add(line, keep: false, out var records, out var isRequest);
                    if (!isRequest || skipped < skipRecords)
                    {
                        skipped += records;
                        continue;
                    }

                    reading = true;
                }

                Lines++;
                var problem = Add(line, keep: true, out _, out _);
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

        /// <summary>
        /// Adds one line's records (with <paramref name="keep"/> false only counts them: <paramref name="records"/>);
        /// returns why the line is bad, or null.
        /// </summary>
        private string? Add(string line, bool keep, out long records, out bool isRequest)
        {
            records = 0;
            isRequest = false;
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

                    isRequest = true;
                    records = 1 + (e.Items?.Count ?? 0);
                    if (!keep)
                    {
                        return null;
                    }

                    var requestStamp = Stamp(e, _stamps);
                    _readRequests?.Add(e.RequestId);
                    Requests.Add(new RequestRecord(e.RequestId, e.UserId, e.Day, e.K ?? 0, requestStamp));
                    for (var i = 0; i < (e.Items?.Count ?? 0); i++)
                    {
                        Exposures.Add(new ExposureRecord(e.RequestId, e.UserId, e.Day, e.Items![i], i, e.Channels![i], requestStamp) { Team = e.Teams?[i] });
                    }

                    return null;
                case "exposure" or "click":
                    if (e.ItemId is not { } item || e.Position is not { } position || string.IsNullOrEmpty(e.Channel))
                    {
                        return $"{e.Type} needs item_id, position and channel";
                    }

                    if (!Keeps(e, keep, out records))
                    {
                        return null;
                    }

                    var stamp = Stamp(e, _stamps);
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
                    return AddEngagement(e, keep, out records);
            }
        }

        /// <summary>Adds a typed positive event line (like, share, dwell…); returns why it is bad, or null.</summary>
        private string? AddEngagement(LoggedEvent e, bool keep, out long records)
        {
            records = 0;
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

            if (Keeps(e, keep, out records))
            {
                Engagements.Add(new EngagementRecord(e.RequestId, e.UserId, e.Day, item, position, e.Channel, e.Type, e.Value, Stamp(e, _stamps)));
            }

            return null;
        }

        /// <summary>
        /// Whether a valid event line's record is added: not when only counting, nor when it answers a request that was not
        /// read (the read started past it). <paramref name="records"/> is the line's records as added or counted.
        /// </summary>
        private bool Keeps(LoggedEvent e, bool keep, out long records)
        {
            records = 1;
            if (!keep)
            {
                return false;
            }

            if (_readRequests is not null && !_readRequests.Contains(e.RequestId))
            {
                records = 0;
                return false;
            }

            return true;
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

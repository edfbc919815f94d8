using System.Text;
using System.Text.Json;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Logging;

/// <summary>Reads and writes experiment logs as JSONL, one <see cref="LoggedEvent"/> per line.</summary>
public static class LoggedEventsFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes requests, exposures and clicks of <paramref name="log"/> to <paramref name="path"/>.</summary>
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
            await WriteLineAsync(writer, Event("exposure", e.RequestId, e.UserId, e.Day, e.Assignment, e.ItemId, e.Position, e.Channel), cancellationToken).ConfigureAwait(false);
        }

        foreach (var c in log.Clicks)
        {
            await WriteLineAsync(writer, Event("click", c.RequestId, c.UserId, c.Day, c.Assignment, c.ItemId, c.Position, c.Channel), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a JSONL file; throws <see cref="InvalidDataException"/> naming the line of any bad record.</summary>
    public static ExperimentLog Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Logged-events file '{path}' does not exist.", path);
        }

        var stamps = new Dictionary<string, AssignmentStamp>(StringComparer.Ordinal);
        var requests = new List<RequestRecord>();
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            LoggedEvent e;
            try
            {
                e = JsonSerializer.Deserialize<LoggedEvent>(line, Json) ?? throw new InvalidDataException("null record");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{number}: not a logged event: {ex.Message}", ex);
            }

            if (string.IsNullOrEmpty(e.RequestId))
            {
                throw new InvalidDataException($"{path}:{number}: request_id is missing.");
            }

            var stamp = Stamp(e, stamps);
            switch (e.Type)
            {
                case "request":
                    requests.Add(new RequestRecord(e.RequestId, e.UserId, e.Day, e.K ?? 0, stamp));
                    break;
                case "exposure" or "click":
                    if (e.ItemId is not { } item || e.Position is not { } position || string.IsNullOrEmpty(e.Channel))
                    {
                        throw new InvalidDataException($"{path}:{number}: {e.Type} needs item_id, position and channel.");
                    }

                    if (e.Type == "exposure")
                    {
                        exposures.Add(new ExposureRecord(e.RequestId, e.UserId, e.Day, item, position, e.Channel, stamp));
                    }
                    else
                    {
                        clicks.Add(new ClickRecord(e.RequestId, e.UserId, e.Day, item, position, e.Channel, stamp));
                    }

                    break;
                default:
                    throw new InvalidDataException($"{path}:{number}: type '{e.Type}' is not request, exposure or click.");
            }
        }

        return new ExperimentLog { Requests = requests, Exposures = exposures, Clicks = clicks };
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

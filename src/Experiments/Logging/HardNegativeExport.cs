using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RecFramework.Experiments.Logging;

/// <summary>What <see cref="HardNegativeExport.Write"/> read and wrote.</summary>
/// <param name="Files">Log files read, oldest first.</param>
/// <param name="Requests">Request lines read.</param>
/// <param name="SampledRequests">Request lines that carried an <c>unserved</c> sample.</param>
/// <param name="SkippedLines">Unreadable lines skipped.</param>
/// <param name="Users">Users with at least one hard negative written.</param>
/// <param name="Pairs">(user, item) lines written.</param>
/// <param name="DroppedAsExposed">Unserved candidates left out because the user was shown them (exposed in a request, or engaged with them).</param>
public sealed record HardNegativeExportReport(IReadOnlyList<string> Files, long Requests, long SampledRequests, long SkippedLines, int Users, long Pairs, long DroppedAsExposed);

/// <summary>
/// Turns the exposure log into the two-tower channel's hard-negative file ("user_id&lt;TAB&gt;item_id" lines, the
/// build parameter <c>hard_negatives</c>): the candidates the merge recalled but ranked below the served items, which
/// request lines carry as <c>unserved</c> when <c>RecFramework:Pipeline:UnservedCandidates</c> is on. A candidate the user
/// was ever shown (served by any request of the log) or engaged with is left out: exposed-but-not-clicked items are
/// not recall negatives, and clicked ones are positives. Per user, the candidates dropped by the most requests come
/// first, at most <c>maxPerUser</c>.
/// </summary>
public static class HardNegativeExport
{
    /// <summary>Reads <paramref name="logPath"/> and its rotated predecessors and writes <paramref name="outputPath"/>.</summary>
    /// <param name="logPath">The exposure log (<c>RecFramework:ExposureLog:Path</c>).</param>
    /// <param name="outputPath">The hard-negative file to write (replaced).</param>
    /// <param name="maxPerUser">Most hard negatives kept per user.</param>
    /// <exception cref="RecFrameworkException">No log file exists, or none of its request lines carries a sample.</exception>
    public static HardNegativeExportReport Write(string logPath, string outputPath, int maxPerUser = 50)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        if (maxPerUser < 1)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"maxPerUser must be at least 1; got {maxPerUser}.");
        }

        var files = LoggedEventsFile.RotatedSet(logPath);
        if (files.Count == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"No exposure log at '{logPath}'.");
        }

        var unserved = new Dictionary<long, Dictionary<long, int>>();
        var shown = new Dictionary<long, HashSet<long>>();
        long requests = 0, sampled = 0, skipped = 0;
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                LoggedEvent? e;
                try
                {
                    e = JsonSerializer.Deserialize(line, LoggedEventJsonContext.Default.LoggedEvent);
                }
                catch (JsonException)
                {
                    e = null;
                }

                if (e is null)
                {
                    skipped++;
                    continue;
                }

                if (e.Type == "request")
                {
                    requests++;
                    foreach (var item in e.Items ?? [])
                    {
                        Shown(e.UserId).Add(item);
                    }

                    if (e.Unserved is { Count: > 0 } candidates)
                    {
                        sampled++;
                        if (!unserved.TryGetValue(e.UserId, out var counts))
                        {
                            unserved[e.UserId] = counts = [];
                        }

                        foreach (var item in candidates)
                        {
                            counts[item] = counts.GetValueOrDefault(item) + 1;
                        }
                    }
                }
                else if (e.ItemId is { } item)
                {
                    Shown(e.UserId).Add(item); // an exposure line (older format) or an engagement with a served item
                }
            }
        }

        if (sampled == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"'{logPath}': none of its {requests:N0} request lines carries an 'unserved' sample; turn on RecFramework:Pipeline:UnservedCandidates and serve traffic first.");
        }

        long pairs = 0, dropped = 0;
        var users = 0;
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(directory);
        var temporary = outputPath + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        {
            foreach (var (user, counts) in unserved.OrderBy(kv => kv.Key))
            {
                var exposed = shown.GetValueOrDefault(user);
                var kept = counts.Where(kv => exposed is null || !exposed.Contains(kv.Key)).ToList();
                dropped += counts.Count - kept.Count;
                if (kept.Count == 0)
                {
                    continue;
                }

                users++;
                foreach (var (item, _) in kept.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(maxPerUser))
                {
                    writer.Write(user.ToString(CultureInfo.InvariantCulture));
                    writer.Write('\t');
                    writer.Write(item.ToString(CultureInfo.InvariantCulture));
                    writer.Write('\n');
                    pairs++;
                }
            }
        }

        File.Move(temporary, outputPath, overwrite: true);
        return new HardNegativeExportReport(files, requests, sampled, skipped, users, pairs, dropped);

        HashSet<long> Shown(long user)
        {
            if (!shown.TryGetValue(user, out var set))
            {
                shown[user] = set = [];
            }

            return set;
        }
    }
}

using System.Globalization;
using System.Text;

namespace RecFramework.Bench.Serve;

/// <summary>
/// CPU time of this process's threads by thread name, read from <c>/proc/self/task/*/stat</c> (Linux; empty
/// elsewhere). Two readings around a phase tell where its CPU went: request threads (thread pool, sockets), the
/// garbage collector's background thread, the JIT, background work at low priority, native libraries' own threads.
/// A thread that ended between the readings is not counted; a thread that started counts from zero.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>Reads every thread's (name, user + system clock ticks) by thread id.</summary>
    public static Dictionary<int, (string Name, long Ticks)> Read()
    {
        var threads = new Dictionary<int, (string, long)>();
        const string tasks = "/proc/self/task";
        if (!Directory.Exists(tasks))
        {
            return threads;
        }

        foreach (var dir in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) && Parse(File.ReadAllText(Path.Combine(dir, "stat"))) is { } entry)
                {
                    threads[tid] = entry;
                }
            }
            catch (IOException)
            {
                // the thread ended while being read
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return threads;
    }

    /// <summary>
    /// The name and user + system ticks of one <c>stat</c> line: "tid (name) state …", fields 14 and 15 are utime
    /// and stime. The name may hold spaces and parentheses, so it ends at the last ')'. Null when unreadable.
    /// </summary>
    internal static (string Name, long Ticks)? Parse(string stat)
    {
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        // After ") ": state is field 3, so utime (14) and stime (15) are the 12th and 13th fields that follow.
        var rest = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length < 13 || !long.TryParse(rest[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user) || !long.TryParse(rest[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }

        return (stat[(open + 1)..close], user + system);
    }

    /// <summary>
    /// CPU milliseconds per thread group between two readings, largest first. Threads are grouped by name with
    /// trailing digits and separators removed ("onnx-3" and "onnx-12" are one group), as a figure-key-friendly
    /// lower-case name ("dotnet_tp_worker" for ".NET TP Worker").
    /// </summary>
    public static IReadOnlyList<(string Group, double CpuMs)> Delta(Dictionary<int, (string Name, long Ticks)> before, Dictionary<int, (string Name, long Ticks)> after, double ticksPerSecond)
    {
        var groups = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (tid, (name, ticks)) in after)
        {
            var start = before.TryGetValue(tid, out var earlier) && earlier.Name == name ? earlier.Ticks : 0;
            var group = Group(name);
            groups[group] = groups.GetValueOrDefault(group) + ((ticks - start) * 1000.0 / ticksPerSecond);
        }

        return groups.Where(g => g.Value > 0).OrderByDescending(g => g.Value).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Value)).ToArray();
    }

    /// <summary>The group key of a thread name: lower case, ".NET" as "dotnet", runs of other characters as one '_', trailing digits dropped.</summary>
    internal static string Group(string name)
    {
        var text = name.Replace(".NET", "dotnet", StringComparison.Ordinal).ToLowerInvariant().TrimEnd("0123456789#-_ ".ToCharArray());
        var key = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                key.Append(c);
            }
            else if (key.Length > 0 && key[^1] != '_')
            {
                key.Append('_');
            }
        }

        return key.Length == 0 ? "unnamed" : key.ToString().TrimEnd('_');
    }
}

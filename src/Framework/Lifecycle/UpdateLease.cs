using System.Globalization;
using System.Text.Json;

namespace RecFramework.Lifecycle;

/// <summary>
/// The lease that lets one of several <see cref="ModelUpdateWorker"/>s sharing an artifact store publish a channel: a
/// file <c>{root}/update-{channel}.lease</c> holding the owner and the expiry (unix ms, by the worker's clock).
/// </summary>
/// <remarks>
/// Every write is a whole file moved into place: a new lease is checked for and moved without overwrite while holding
/// an exclusive lock on <c>update-{channel}.lease.lock</c> (check and create in one step: of two workers on a host only
/// one succeeds, the other waits for the lock and then reads who holds the lease), the holder renews by replacing the file, and an expired lease is first renamed to a
/// file of the claimant's own (only one rename of the same file succeeds) and checked to be the expired one before the
/// claimant creates its own; a claimant that finds a fresh lease there puts it back.
/// </remarks>
internal sealed class UpdateLease(string root, string channel, string owner, TimeSpan duration, TimeProvider time)
{
    private readonly string _path = Path.Combine(root, $"update-{channel}.lease");

    /// <summary>The holder and expiry read at the last failed <see cref="TryAcquire"/>.</summary>
    public (string Owner, DateTimeOffset Expires) LastSeen { get; private set; }

    /// <summary>
    /// Renews the lease every third of its duration until the returned timer is disposed (while an update runs, so a
    /// build longer than the lease does not let another worker take over mid-update). A renewal that fails with an I/O
    /// error is left to the next one.
    /// </summary>
    public ITimer KeepRenewed()
    {
        var period = duration / 3;
        return time.CreateTimer(_ =>
        {
            try
            {
                TryAcquire();
            }
            catch (IOException)
            {
                // The next renewal or update tries again.
            }
        }, null, period, period);
    }

    /// <summary>Takes, renews or takes over the lease; false when another owner holds an unexpired one.</summary>
    public bool TryAcquire()
    {
        Directory.CreateDirectory(root);
        var now = time.GetUtcNow();
        var current = Read(_path);
        if (current is null)
        {
            return Create(now);
        }

        var (holder, expires) = current.Value;
        if (holder == owner && expires > now)
        {
            Write(now, overwrite: true);
            return true;
        }

        if (expires > now)
        {
            LastSeen = current.Value;
            return false;
        }

        // Expired: claim it by renaming; only one claimant's rename of this file succeeds.
        var claim = $"{_path}.{Guid.NewGuid():N}.claim";
        try
        {
            File.Move(_path, claim);
        }
        catch (IOException)
        {
            LastSeen = Read(_path) ?? current.Value;
            return false;
        }

        if (Read(claim) == current)
        {
            File.Delete(claim);
            return Create(now);
        }

        // Someone renewed or replaced it between our read and our rename: put theirs back.
        try
        {
            File.Move(claim, _path);
        }
        catch (IOException)
        {
            File.Delete(claim);
        }

        LastSeen = Read(_path) ?? current.Value;
        return false;
    }

    private bool Create(DateTimeOffset now)
    {
        // On Unix a move without overwrite is an existence check and then a rename, not one step: two workers could
        // both see no lease and both move theirs into place (both then built; seen in a test under load). An exclusive
        // lock on a side file (flock, by FileShare.None) makes check and create one step for every process on the
        // host. A worker that finds the lock taken waits for it (the holder only writes one small file) and then
        // reads the lease the other one created, so it can say who holds it.
        using var guard = LockCreation();
        if (guard is null)
        {
            LastSeen = Read(_path) ?? ("?", now);
            return false;
        }

        if (Read(_path) is { } created)
        {
            LastSeen = created; // another worker created it while this one waited for the lock
            return false;
        }

        try
        {
            Write(now, overwrite: false);
            return true;
        }
        catch (IOException)
        {
            LastSeen = Read(_path) ?? ("?", now);
            return false;
        }
    }

    /// <summary>The exclusive lock on the lease's side file, waiting up to 5 s for another worker's create; null when it stays taken.</summary>
    private FileStream? LockCreation()
    {
        var deadline = Environment.TickCount64 + 5_000;
        while (true)
        {
            try
            {
                return new FileStream(_path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(5);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private void Write(DateTimeOffset now, bool overwrite)
    {
        var temp = $"{_path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["owner"] = owner,
            ["expires"] = (now + duration).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }));
        try
        {
            File.Move(temp, _path, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static (string Owner, DateTimeOffset Expires)? Read(string path)
    {
        try
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
            return fields is not null && fields.TryGetValue("owner", out var holder) && fields.TryGetValue("expires", out var ms)
                && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unixMs)
                ? (holder, DateTimeOffset.FromUnixTimeMilliseconds(unixMs))
                : ("?", DateTimeOffset.MinValue);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // Unreadable: treat as expired so a damaged file cannot block updates for ever.
            return ("?", DateTimeOffset.MinValue);
        }
    }
}

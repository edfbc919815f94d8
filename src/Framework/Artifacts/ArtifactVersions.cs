using System.Text.RegularExpressions;
using RecFramework.Channels;
using RecFramework.Diagnostics;
using RecFramework.Pipeline;

namespace RecFramework.Artifacts;

/// <summary>
/// The loaded versions of one artifact-backed channel: the serving version, which activation swaps in (an
/// <see cref="ArtifactSlot{T}"/>), and a bounded set of pinned versions for requests whose parameters name another
/// version (<c>{channel}.version</c>, reaching the channel as <see cref="RecallParameterKeys.Version"/>), so the variants
/// of one experiment can compare versions of the same channel.
/// </summary>
/// <remarks>
/// <para>A pinned version is opened from the <see cref="PinnedVersionSource.Store"/> (checksums verified) and loaded on a
/// background-priority thread on its first request; requests that arrive meanwhile wait for that one load up to their
/// own timeout, and the load goes on if they give up. A version that does not open or load is answered with
/// a <see cref="RecFrameworkException"/> naming it (the pipeline reports the channel as failed and serves the request
/// from the other channels) and is retried after <see cref="ChannelOptions.PinnedVersionRetrySeconds"/>.</para>
/// <para>Memory: at most <see cref="ChannelOptions.MaxPinnedVersions"/> pinned versions are kept beside the serving
/// one. Asking for one more retires the least recently used; a version unused for
/// <see cref="ChannelOptions.PinnedVersionIdleSeconds"/> is retired, and so is a pinned version that becomes the serving
/// one. A retired version is disposed only when the last request that leased it returns its lease (the slot's
/// reference count), so no request sees a disposed artifact.</para>
/// </remarks>
/// <typeparam name="T">The loaded artifact.</typeparam>
public sealed partial class ArtifactVersions<T> : IDisposable
    where T : class, IDisposable
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(1);

    private readonly string _channel;
    private readonly Func<T, string> _versionOf;
    private readonly Func<ArtifactHandle, CancellationToken, ValueTask<T>> _load;
    private readonly PinnedVersionSource? _source;
    private readonly TimeProvider _time;
    private readonly bool _disposeInBackground;
    private readonly ArtifactSlot<T> _serving;
    private readonly object _gate = new();
    private readonly Dictionary<string, Pinned> _pinned = new(StringComparer.Ordinal);
    private int _pinnedCount;
    private long _lastSweep;
    private bool _disposed;

    /// <summary>Creates the versions of <paramref name="channel"/>, none loaded.</summary>
    /// <param name="channel">Channel name (the artifact store's folder).</param>
    /// <param name="versionOf">The version a loaded artifact came from.</param>
    /// <param name="load">Loads an opened version (throws <see cref="RecFrameworkException"/> when it is unusable).</param>
    /// <param name="source">Store and bounds of pinned versions; none: only the serving version is served.</param>
    /// <param name="disposeInBackground">Dispose retired artifacts on a background-priority thread.</param>
    public ArtifactVersions(
        string channel,
        Func<T, string> versionOf,
        Func<ArtifactHandle, CancellationToken, ValueTask<T>> load,
        PinnedVersionSource? source = null,
        bool disposeInBackground = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(versionOf);
        ArgumentNullException.ThrowIfNull(load);
        _channel = channel;
        _versionOf = versionOf;
        _load = load;
        _source = source;
        _time = source?.Time ?? TimeProvider.System;
        _disposeInBackground = disposeInBackground;
        _serving = new ArtifactSlot<T>(disposeInBackground);
    }

    /// <summary>The serving artifact, or null before the first activation (for status only: lease it to use it).</summary>
    public T? Current => _serving.Current;

    /// <summary>Version of the serving artifact, or null before the first activation.</summary>
    public string? ActiveVersion => _serving.Current is { } current ? _versionOf(current) : null;

    /// <summary>Pinned versions loaded now (not those loading or failed), sorted.</summary>
    public IReadOnlyList<string> PinnedVersions
    {
        get
        {
            lock (_gate)
            {
                return [.. _pinned.Values.Where(p => p.Load.IsCompletedSuccessfully).Select(p => p.Version).Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Leases the serving artifact (<see cref="ArtifactLease{T}.Value"/> is null before the first activation).</summary>
    public ArtifactLease<T> Acquire() => _serving.Acquire();

    /// <summary>
    /// Leases the artifact <paramref name="request"/> should be served from: the version its parameters pin, else the
    /// serving one (<see cref="ArtifactLease{T}.Value"/> null before the first activation). Completes synchronously
    /// unless a pinned version has to be loaded first.
    /// </summary>
    /// <exception cref="RecFrameworkException">
    /// The pinned version is not published (<see cref="RecError.ArtifactNotFound"/>), does not load
    /// (<see cref="RecError.ArtifactCorrupt"/>), or pinning is not available (<see cref="RecError.InvalidConfiguration"/>).
    /// </exception>
    public ValueTask<ArtifactLease<T>> AcquireAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Parameters.TryGetValue(RecallParameterKeys.Version, out var version) || string.IsNullOrWhiteSpace(version))
        {
            if (Volatile.Read(ref _pinnedCount) > 0)
            {
                SweepIfDue();
            }

            return ValueTask.FromResult(_serving.Acquire());
        }

        version = version.Trim();
        var lease = _serving.Acquire();
        if (lease.Value is { } serving && string.Equals(_versionOf(serving), version, StringComparison.Ordinal))
        {
            return ValueTask.FromResult(lease);
        }

        lease.Dispose();
        return AcquirePinnedAsync(version, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="next"/> the serving artifact; the previous one is disposed once no lease holds it. A pinned
    /// copy of the same version is retired (its requests now take the serving one).
    /// </summary>
    public void Swap(T next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _serving.Swap(next);
        lock (_gate)
        {
            if (_pinned.TryGetValue(_versionOf(next), out var pinned))
            {
                Retire(pinned, "it is now the serving version");
            }
        }
    }

    /// <summary>Retires the serving and every pinned artifact (each disposed when its last lease is returned).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var pinned in _pinned.Values.ToArray())
            {
                Retire(pinned, "the channel is disposed");
            }
        }

        _serving.Dispose();
    }

    private async ValueTask<ArtifactLease<T>> AcquirePinnedAsync(string version, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = Entry(version);
            ArtifactSlot<T> slot;
            try
            {
                slot = await entry.Load.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw Refusal(version, ex);
            }

            var lease = slot.Acquire();
            if (lease.Value is not null)
            {
                return lease;
            }

            // Retired between its load and this lease (displaced by another version): load it again.
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The entry of <paramref name="version"/>, starting its load when it has none (or its failure expired).</summary>
    private Pinned Entry(string version)
    {
        if (!VersionName().IsMatch(version))
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"Channel '{_channel}': parameter '{RecallParameterKeys.Version}' = '{Shorten(version)}' is not a version name (such as v0003).");
        }

        var source = _source ?? throw new RecFrameworkException(RecError.InvalidConfiguration,
            $"Channel '{_channel}' cannot serve pinned version '{version}': it was created without a {nameof(PinnedVersionSource)} (AddRecFramework registers one); it serves only {ActiveVersion ?? "(no version)"}.");
        var options = source.OptionsOf(_channel);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pinned.TryGetValue(version, out var entry) && !(entry.Load.IsFaulted && _time.GetElapsedTime(entry.FailedAt, now).TotalSeconds >= options.PinnedVersionRetrySeconds))
            {
                entry.LastUsed = now;
                return entry;
            }

            if (options.MaxPinnedVersions == 0)
            {
                throw new RecFrameworkException(RecError.InvalidConfiguration,
                    $"Channel '{_channel}' cannot serve pinned version '{version}': pinning is off (MaxPinnedVersions = 0); it serves only {ActiveVersion ?? "(no version)"}.");
            }

            if (entry is not null)
            {
                Remove(entry);
            }

            entry = new Pinned(version, now);
            entry.Load = LoadAsync(source, entry);
            _pinned[version] = entry;
            Volatile.Write(ref _pinnedCount, _pinned.Count);
            Trim(options, now, entry);
            return entry;
        }
    }

    private Task<ArtifactSlot<T>> LoadAsync(PinnedVersionSource source, Pinned entry) =>
        BackgroundThreadPriority.RunAsync($"load {_channel}/{entry.Version}", async () =>
        {
            var started = _time.GetTimestamp();
            try
            {
                var handle = source.Store.Open(_channel, entry.Version);
                var loaded = await _load(handle, CancellationToken.None).ConfigureAwait(false);
                var slot = new ArtifactSlot<T>(_disposeInBackground);
                slot.Swap(loaded);
                Log.PinnedVersionLoaded(source.Logger, _channel, entry.Version, _time.GetElapsedTime(started).TotalSeconds);
                return slot;
            }
            catch (Exception ex)
            {
                entry.FailedAt = _time.GetTimestamp();
                Log.PinnedVersionFailed(source.Logger, _channel, entry.Version, ex.Message);
                throw;
            }
        }).Unwrap();

    /// <summary>Under the gate: forgets expired failures, retires idle versions, then the least recently used beyond the bound.</summary>
    private void Trim(ChannelOptions options, long now, Pinned? keep)
    {
        foreach (var entry in _pinned.Values.ToArray())
        {
            if (entry == keep)
            {
                continue;
            }

            if (entry.Load.IsFaulted)
            {
                if (_time.GetElapsedTime(entry.FailedAt, now).TotalSeconds >= options.PinnedVersionRetrySeconds)
                {
                    Remove(entry);
                }
            }
            else if (_time.GetElapsedTime(entry.LastUsed, now).TotalSeconds >= options.PinnedVersionIdleSeconds)
            {
                Retire(entry, $"unused for {options.PinnedVersionIdleSeconds} s (PinnedVersionIdleSeconds)");
            }
        }

        while (true)
        {
            var live = _pinned.Values.Where(p => !p.Load.IsFaulted).ToArray();
            if (live.Length <= options.MaxPinnedVersions)
            {
                return;
            }

            var oldest = live.Where(p => p != keep).MinBy(p => p.LastUsed);
            if (oldest is null)
            {
                return;
            }

            Retire(oldest, $"more than {options.MaxPinnedVersions} pinned versions are asked for (MaxPinnedVersions); it was the least recently used");
        }
    }

    private void SweepIfDue()
    {
        if (_source is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var last = Volatile.Read(ref _lastSweep);
        if ((last != 0 && _time.GetElapsedTime(last, now) < SweepPeriod) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        var options = _source.OptionsOf(_channel);
        lock (_gate)
        {
            Trim(options, now, null);
        }
    }

    /// <summary>Under the gate: drops the entry; its artifact is disposed when its last lease is returned.</summary>
    private void Retire(Pinned entry, string reason)
    {
        Remove(entry);
        if (_source is { } source)
        {
            Log.PinnedVersionRetired(source.Logger, _channel, entry.Version, reason);
        }

        if (entry.Load.IsCompletedSuccessfully)
        {
            entry.Load.Result.Dispose();
            return;
        }

        // Still loading: retire it when the load completes.
        entry.Load.ContinueWith(static t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result.Dispose();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Remove(Pinned entry)
    {
        if (_pinned.TryGetValue(entry.Version, out var current) && current == entry)
        {
            _pinned.Remove(entry.Version);
            Volatile.Write(ref _pinnedCount, _pinned.Count);
        }
    }

    private RecFrameworkException Refusal(string version, Exception ex)
    {
        var error = ex is RecFrameworkException rec ? rec.Error : RecError.ArtifactCorrupt;
        var reason = error == RecError.ArtifactNotFound ? "it is not published" : $"it does not load ({ex.Message})";
        return new RecFrameworkException(error, $"Channel '{_channel}': pinned version '{version}' is not served: {reason}.", ex);
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex VersionName();

    /// <summary>One pinned version: its load (a slot holding the artifact) and when it was last asked for.</summary>
    private sealed class Pinned(string version, long created)
    {
        public string Version { get; } = version;

        public Task<ArtifactSlot<T>> Load { get; set; } = null!;

        /// <summary>Timestamp of the last request (under the gate).</summary>
        public long LastUsed { get; set; } = created;

        /// <summary>Timestamp of the failure when <see cref="Load"/> faulted.</summary>
        public long FailedAt { get; set; }
    }
}

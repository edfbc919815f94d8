using Microsoft.Extensions.Logging;
using RecFramework.Stores;

namespace RecFramework.Channels.TwoTower.Serving;

/// <summary>
/// The two-tower channel's cache of user-tower outputs over an <see cref="IUserEmbeddingStore"/>. Never fails a
/// request: a read that throws or takes longer than its timeout is a miss (logged at Warning at most once per
/// <see cref="WarningInterval"/>), and write-backs run in the background with their failures logged the same way.
/// </summary>
internal sealed class UserVectorCache
{
    /// <summary>Shortest time between two warnings of one kind.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly IUserEmbeddingStore _store;
    private readonly string _channel;
    private readonly TimeSpan _timeToLive;
    private readonly TimeSpan _readTimeout;
    private readonly ILogger _logger;
    private readonly WarningGate _readWarnings;
    private readonly WarningGate _writeWarnings;
    private long _pendingWrites;

    public UserVectorCache(IUserEmbeddingStore store, string channel, TwoTowerOptions options, ILogger logger, TimeProvider time)
    {
        _store = store;
        _channel = channel;
        _timeToLive = TimeSpan.FromSeconds(options.UserVectorCacheTtlSeconds);
        _readTimeout = TimeSpan.FromMilliseconds(options.UserVectorCacheReadTimeoutMs);
        _logger = logger;
        _readWarnings = new WarningGate(time, WarningInterval);
        _writeWarnings = new WarningGate(time, WarningInterval);
    }

    /// <summary>Write-backs started and not finished yet.</summary>
    public long PendingWrites => Interlocked.Read(ref _pendingWrites);

    /// <summary>The cached vector of <paramref name="userId"/> under <paramref name="version"/> with <paramref name="dimension"/> floats, or null (miss, failure, timeout).</summary>
    public async ValueTask<float[]?> TryGetAsync(string version, long userId, int dimension, CancellationToken cancellationToken)
    {
        Task<float[]?>? pending = null;
        try
        {
            var read = _store.GetAsync(_channel, version, userId, cancellationToken);
            float[]? vector;
            if (read.IsCompletedSuccessfully)
            {
                vector = read.Result;
            }
            else
            {
                pending = read.AsTask();
                vector = await pending.WaitAsync(_readTimeout, cancellationToken).ConfigureAwait(false);
            }

            return vector is not null && vector.Length == dimension ? vector : null;
        }
        catch (TimeoutException ex)
        {
            // The read goes on without us: observe its outcome so a late failure is not an unobserved task exception.
            _ = pending?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            WarnRead(ex);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            WarnRead(ex);
            return null;
        }
    }

    /// <summary>Writes <paramref name="vector"/> back in the background; never throws.</summary>
    public void Put(string version, long userId, float[] vector)
    {
        Interlocked.Increment(ref _pendingWrites);
        _ = WriteAsync(version, userId, vector);
    }

    private void WarnRead(Exception exception)
    {
        if (_readWarnings.TryEnter(out var suppressed))
        {
            Log.UserVectorCacheReadFailed(_logger, _channel, suppressed, exception);
        }
    }

    private async Task WriteAsync(string version, long userId, float[] vector)
    {
        try
        {
            await _store.SetAsync(_channel, version, userId, vector, _timeToLive, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (_writeWarnings.TryEnter(out var suppressed))
            {
                Log.UserVectorCacheWriteFailed(_logger, _channel, suppressed, ex);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pendingWrites);
        }
    }
}

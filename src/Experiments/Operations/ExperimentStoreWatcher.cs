using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RecFramework.Experiments.Operations;

/// <summary>
/// Polls the store's version every <see cref="ExperimentStoreOptions.PollMilliseconds"/> (a file read, or one Redis
/// <c>HGET</c>) and hands a newer version to
/// <see cref="ExperimentStoreSource"/>, so every replica serves a change made through any other (or the CLI). A store
/// that cannot be read is logged and the current configuration keeps serving.
/// </summary>
internal sealed class ExperimentStoreWatcher(
    IExperimentStore store, ExperimentStoreSource source, IOptions<ExperimentStoreOptions> options, TimeProvider time, ILogger<ExperimentStoreWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), time);
        string? lastFailure = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (await store.ReadVersionAsync(stoppingToken).ConfigureAwait(false) > source.Version
                        && await store.ReadAsync(stoppingToken).ConfigureAwait(false) is { } stored && source.Offer(stored))
                    {
                        Log.StoreVersionPickedUp(logger, stored.Version);
                    }

                    lastFailure = null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (!string.Equals(ex.Message, lastFailure, StringComparison.Ordinal))
                    {
                        lastFailure = ex.Message;
                        Log.StoreReadFailed(logger, source.Version, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace RecFramework.Experiments.Operations;

/// <summary>
/// Feeds the store's configuration into <see cref="IOptionsMonitor{TOptions}"/> of <see cref="ExperimentsOptions"/>:
/// it overlays the stored configuration on the bound section (post-configure) and signals a change when a newer store
/// version arrives, so the router reloads through its usual path (validate, compile, swap) and
/// <c>POST /admin/config/reload</c> keeps the stored configuration too.
/// </summary>
internal sealed class ExperimentStoreSource : IPostConfigureOptions<ExperimentsOptions>, IOptionsChangeTokenSource<ExperimentsOptions>
{
    private readonly Lock _lock = new();
    private StoredExperiments? _current;
    private CancellationTokenSource _changed = new();

    public ExperimentStoreSource(IExperimentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        // Read once at start-up, before the router compiles its first state.
        _current = store.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The store version served (0 while the store is empty and the section is served).</summary>
    public long Version => Volatile.Read(ref _current)?.Version ?? 0;

    /// <summary>The stored configuration served, or null while the store is empty.</summary>
    public StoredExperiments? Current => Volatile.Read(ref _current);

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void PostConfigure(string? name, ExperimentsOptions options)
    {
        if (Volatile.Read(ref _current) is not { } stored)
        {
            return;
        }

        var copy = ExperimentsJson.Clone(stored.Configuration);
        options.BucketCount = copy.BucketCount;
        options.Holdout = copy.Holdout;
        options.Layers = copy.Layers;
    }

    /// <summary>Serves <paramref name="stored"/> when it is newer than the version served; the router reloads before this returns.</summary>
    /// <returns>Whether it was newer.</returns>
    public bool Offer(StoredExperiments stored)
    {
        // The reload runs under the lock: an operation and the store watcher can offer the same version at once, and
        // the one that finds it already offered must not return (and answer its HTTP request) before the router has
        // reloaded on the other one's thread.
        lock (_lock)
        {
            if (stored.Version <= Version)
            {
                return false;
            }

            Volatile.Write(ref _current, stored);
            var previous = _changed;
            _changed = new CancellationTokenSource();

            // The options monitor drops its cached value and calls the router on this thread.
            previous.Cancel();
            previous.Dispose();
            return true;
        }
    }
}

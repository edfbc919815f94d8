using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RecFramework.Experiments;

/// <summary>
/// Routes users through the configured layers. Every configuration is compiled into an immutable
/// <see cref="RouterState"/> (per-bucket assignments precomputed) and read through one volatile reference, so an
/// assignment is two or three hashes and array reads. Reloads arrive through <see cref="IOptionsMonitor{TOptions}"/>:
/// a valid configuration is compiled and swapped atomically; an invalid one is logged and the old one keeps serving.
/// </summary>
internal sealed class ExperimentRouter : IExperimentRouter, IDisposable
{
    private readonly ExperimentsOptionsValidator _validator;
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private readonly Lock _reloadLock = new();
    private RouterState _state;
    private string? _lastRejection;

    /// <summary>Compiles the current options and subscribes to reloads.</summary>
    /// <exception cref="OptionsValidationException">The current options are invalid; lists every failure.</exception>
    public ExperimentRouter(IOptionsMonitor<ExperimentsOptions> options, ExperimentsOptionsValidator validator, ILogger<ExperimentRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(logger);
        _validator = validator;
        _logger = logger;
        var initial = options.CurrentValue;
        var failures = validator.Validate(initial);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(ExperimentsOptions.Section, typeof(ExperimentsOptions), failures);
        }

        _state = RouterState.Compile(initial);
        LogActivated(_state);
        _subscription = options.OnChange((changed, name) =>
        {
            if (string.Equals(name, Options.DefaultName, StringComparison.Ordinal))
            {
                TryReload(changed, out _);
            }
        });
    }

    /// <inheritdoc />
    public ExperimentsSnapshot Current
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return new ExperimentsSnapshot(state.Version, state.CanonicalJson, state.BucketCount, state.HoldoutBuckets, state.Layers.Select(l => l.Name).ToArray());
        }
    }

    /// <inheritdoc />
    public ExperimentAssignment Assign(long userId)
    {
        var assignment = Assign(Volatile.Read(ref _state), userId);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.Assigned(_logger, userId, assignment.Tag);
        }

        return assignment;
    }

    /// <summary>The assignment of <paramref name="userId"/> under a compiled state (also how a change's impact is counted).</summary>
    internal static ExperimentAssignment Assign(RouterState state, long userId)
    {
        var n = state.BucketCount;
        var holdoutBucket = -1;
        var holdout = false;
        if (state.HoldoutBuckets > 0)
        {
            holdoutBucket = Bucketing.Bucket(state.HoldoutPrefix, userId, n);
            holdout = holdoutBucket < state.HoldoutBuckets;
        }

        var layers = state.Layers;
        var assignments = layers.Length == 0 ? [] : new LayerAssignment[layers.Length];
        for (var i = 0; i < layers.Length; i++)
        {
            var layer = layers[i];
            var bucket = Bucketing.Bucket(layer.Prefix, userId, n);
            assignments[i] = holdout ? layer.HoldoutByBucket[bucket] : layer.ByBucket[bucket];
        }

        return new ExperimentAssignment(userId, holdout, holdoutBucket, state.Version, assignments, state);
    }

    /// <summary>
    /// Validates <paramref name="options"/> and, when valid, swaps it in atomically; otherwise logs the failures and
    /// keeps the current configuration. Called on every options change; public for admin tooling and tests. A
    /// rejection is logged once: the same failures again (until a valid configuration is accepted) are not re-logged.
    /// </summary>
    /// <returns>Whether the new configuration is now served.</returns>
    public bool TryReload(ExperimentsOptions options, out IReadOnlyList<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_reloadLock)
        {
            var current = Volatile.Read(ref _state);
            try
            {
                failures = _validator.Validate(options);
                if (failures.Count > 0)
                {
                    // One reload raises several change notifications (one per configuration file provider) and the
                    // admin endpoint asks again for the verdict: the same rejection is logged once.
                    var rejection = string.Join(" | ", failures);
                    if (!string.Equals(rejection, _lastRejection, StringComparison.Ordinal))
                    {
                        _lastRejection = rejection;
                        Log.ReloadRejected(_logger, current.Version, rejection);
                    }

                    return false;
                }

                _lastRejection = null;

                var next = RouterState.Compile(options);
                if (next.Version != current.Version)
                {
                    Volatile.Write(ref _state, next);
                    LogActivated(next);
                }

                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.ReloadFailed(_logger, current.Version, ex);
                failures = [ex.Message];
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    private void LogActivated(RouterState state) =>
        Log.ConfigurationActivated(_logger, state.Version, state.Layers.Length, state.BucketCount, state.HoldoutBuckets);
}

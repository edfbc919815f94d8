using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RecFramework.Experiments.Operations;

/// <summary>
/// Lifecycle operations on the experiment store: create, start, stop, launch (with a reverse bucket), close a reverse
/// bucket, rotate the holdout. Each reads the stored configuration (or, while the store is empty, the
/// <c>RecFramework:Experiments</c> section), changes a copy, validates it with the same validator as start-up and
/// reloads (every failure named, nothing written when one fails), counts the users it moves, and, unless it is a dry
/// run, writes it as the next store version with an audit entry and serves it at once on this replica (the others
/// pick it up from the store).
/// </summary>
public sealed class ExperimentOperations
{
    private readonly IExperimentStore _store;
    private readonly ExperimentStoreSource _source;
    private readonly ExperimentsOptionsValidator _validator;
    private readonly IOptionsMonitor<ExperimentsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal ExperimentOperations(
        IExperimentStore store, ExperimentStoreSource source, ExperimentsOptionsValidator validator, IOptionsMonitor<ExperimentsOptions> options, TimeProvider time, ILogger<ExperimentOperations> logger)
    {
        _store = store;
        _source = source;
        _validator = validator;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Adds <paramref name="experiment"/> to <paramref name="layer"/> as <see cref="ExperimentStatus.Stopped"/> (start it to take its buckets).</summary>
    /// <exception cref="ExperimentOperationException">Unknown layer, or the result is invalid (e.g. a duplicate name, shares not adding up to 1).</exception>
    public Task<ExperimentOperationResult> CreateAsync(string layer, ExperimentOptions experiment, ExperimentChangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(experiment);
        return RunAsync("create", experiment.Name, $"layer={layer} buckets={string.Join(',', experiment.Buckets)} variants={string.Join(',', experiment.Variants.Select(v => v.Name + ":" + v.Share.ToString(CultureInfo.InvariantCulture)))}", request, (options, _) =>
        {
            var target = options.Layers.FirstOrDefault(l => string.Equals(l.Name, layer, StringComparison.Ordinal))
                ?? throw new ExperimentOperationException(ExperimentOperationError.UnknownExperiment, $"layer '{layer}' does not exist (layers: {string.Join(", ", options.Layers.Select(l => l.Name))}).");
            var created = ExperimentsJson.Clone(new ExperimentsOptions { Layers = [new LayerOptions { Experiments = [experiment] }] }).Layers[0].Experiments[0];
            created.Status = ExperimentStatus.Stopped;
            created.LaunchedVariant = null;
            created.ReverseBuckets = [];
            target.Experiments.Add(created);
            return (null, created);
        }, cancellationToken);
    }

    /// <summary>Stopped → Running: the experiment takes its bucket ranges.</summary>
    public Task<ExperimentOperationResult> StartAsync(string experiment, ExperimentChangeRequest request, CancellationToken cancellationToken) =>
        ChangeExperimentAsync("start", experiment, "", request, e =>
        {
            RequireStatus(e, "start", ExperimentStatus.Stopped);
            e.Status = ExperimentStatus.Running;
        }, cancellationToken);

    /// <summary>Running → Stopped: its users return to the layer default.</summary>
    public Task<ExperimentOperationResult> StopAsync(string experiment, ExperimentChangeRequest request, CancellationToken cancellationToken) =>
        ChangeExperimentAsync("stop", experiment, "", request, e =>
        {
            RequireStatus(e, "stop", ExperimentStatus.Running);
            e.Status = ExperimentStatus.Stopped;
        }, cancellationToken);

    /// <summary>
    /// Running → Launched: <paramref name="variant"/>'s parameters join the layer default for every non-holdout user,
    /// except a reverse bucket of round(<paramref name="reverseShare"/> × N) buckets taken from the experiment's own
    /// buckets (those of its other variants first, in variant order, then the launched variant's), which keeps the
    /// default from before the launch.
    /// </summary>
    /// <param name="experiment">A running experiment.</param>
    /// <param name="variant">One of its variants.</param>
    /// <param name="reverseShare">Share of all users in the reverse bucket, in [0, the experiment's share of buckets]; 0 for none.</param>
    /// <param name="request">Dry run, expected version, key, users counted.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public Task<ExperimentOperationResult> LaunchAsync(string experiment, string variant, double reverseShare, ExperimentChangeRequest request, CancellationToken cancellationToken) =>
        ChangeExperimentAsync("launch", experiment, $"variant={variant} reverseShare={reverseShare.ToString(CultureInfo.InvariantCulture)}", request, (e, n) =>
        {
            RequireStatus(e, "launch", ExperimentStatus.Running);
            if (!e.Variants.Any(v => string.Equals(v.Name, variant, StringComparison.Ordinal)))
            {
                throw new ExperimentOperationException(ExperimentOperationError.UnknownVariant, $"variant '{variant}' is not a variant of experiment '{e.Name}' ({string.Join(", ", e.Variants.Select(v => v.Name))}).");
            }

            if (!(reverseShare >= 0 && reverseShare < 1))
            {
                throw new ExperimentOperationException(ExperimentOperationError.InvalidValue, $"reverseShare {reverseShare.ToString(CultureInfo.InvariantCulture)} must be in [0, 1).");
            }

            e.ReverseBuckets = ReverseBuckets.Select(e, variant, reverseShare, n);
            e.Status = ExperimentStatus.Launched;
            e.LaunchedVariant = variant;
        }, cancellationToken);

    /// <summary>Launched with a reverse bucket → launched without: its users get the launched variant too.</summary>
    public Task<ExperimentOperationResult> CloseReverseBucketAsync(string experiment, ExperimentChangeRequest request, CancellationToken cancellationToken) =>
        ChangeExperimentAsync("close-reverse", experiment, "", request, e =>
        {
            RequireStatus(e, "close the reverse bucket of", ExperimentStatus.Launched);
            if (e.ReverseBuckets.Count == 0)
            {
                throw new ExperimentOperationException(ExperimentOperationError.WrongStatus, $"experiment '{e.Name}' has no reverse bucket to close.");
            }

            e.ReverseBuckets = [];
        }, cancellationToken);

    /// <summary>
    /// A new holdout salt (the holdout is cleared and rebuilt, its share kept). Without <paramref name="salt"/> the new
    /// salt is the current one without a trailing "-r&lt;number&gt;", plus "-r" and the next store version.
    /// </summary>
    public Task<ExperimentOperationResult> RotateHoldoutAsync(string? salt, ExperimentChangeRequest request, CancellationToken cancellationToken) =>
        RunAsync("rotate-holdout", "holdout", "salt={salt}", request, (options, version) =>
        {
            var before = ExperimentsJson.Clone(new ExperimentsOptions { Holdout = options.Holdout }).Holdout;
            if (!(options.Holdout.Share > 0))
            {
                throw new ExperimentOperationException(ExperimentOperationError.WrongStatus, "there is no holdout to rotate (RecFramework:Experiments:Holdout:Share is 0).");
            }

            var next = salt ?? NextSalt(options.Holdout.Salt, version + 1);
            if (string.IsNullOrWhiteSpace(next) || string.Equals(next, options.Holdout.Salt, StringComparison.Ordinal))
            {
                throw new ExperimentOperationException(ExperimentOperationError.InvalidValue, $"salt '{next}' must be non-empty and differ from the current holdout salt '{options.Holdout.Salt}'.");
            }

            options.Holdout.Salt = next;
            return (before, options.Holdout);
        }, cancellationToken);

    private static string NextSalt(string current, long version)
    {
        var stem = System.Text.RegularExpressions.Regex.Replace(current, "-r[0-9]+$", "", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        return string.Create(CultureInfo.InvariantCulture, $"{stem}-r{version}");
    }

    private static void RequireStatus(ExperimentOptions experiment, string verb, ExperimentStatus required)
    {
        if (experiment.Status != required)
        {
            throw new ExperimentOperationException(
                ExperimentOperationError.WrongStatus,
                $"cannot {verb} experiment '{experiment.Name}': its status is {experiment.Status}, not {required}.");
        }
    }

    private Task<ExperimentOperationResult> ChangeExperimentAsync(
        string operation, string name, string detail, ExperimentChangeRequest request, Action<ExperimentOptions> change, CancellationToken cancellationToken) =>
        ChangeExperimentAsync(operation, name, detail, request, (e, _) => change(e), cancellationToken);

    private Task<ExperimentOperationResult> ChangeExperimentAsync(
        string operation, string name, string detail, ExperimentChangeRequest request, Action<ExperimentOptions, int> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return RunAsync(operation, name, detail, request, (options, _) =>
        {
            var experiment = options.Layers.SelectMany(l => l.Experiments).FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))
                ?? throw new ExperimentOperationException(
                    ExperimentOperationError.UnknownExperiment,
                    $"experiment '{name}' does not exist (experiments: {string.Join(", ", options.Layers.SelectMany(l => l.Experiments).Select(e => e.Name).Take(50))}).");
            var before = ExperimentsJson.Clone(new ExperimentsOptions { Layers = [new LayerOptions { Experiments = [experiment] }] }).Layers[0].Experiments[0];
            change(experiment, options.BucketCount);
            return (before, experiment);
        }, cancellationToken);
    }

    private async Task<ExperimentOperationResult> RunAsync(
        string operation, string target, string detail, ExperimentChangeRequest request, Func<ExperimentsOptions, long, (object? Before, object After)> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var stored = await _store.ReadAsync(cancellationToken).ConfigureAwait(false);
            var version = stored?.Version ?? 0;
            if (request.ExpectedVersion is { } expected && expected != version)
            {
                throw new ExperimentOperationException(
                    ExperimentOperationError.VersionConflict,
                    $"expectedVersion {expected} is not the store's version {version}; another change came first. Read it again and retry.");
            }

            var users = ImpactCounter.Users(request);
            var before = ExperimentsJson.Clone(stored?.Configuration ?? _options.CurrentValue);
            var current = _validator.Validate(before);
            if (current.Count > 0)
            {
                throw new ExperimentOperationException(
                    ExperimentOperationError.InvalidConfiguration, $"the current configuration (store version {version}) is invalid: {string.Join(" | ", current)}", current);
            }

            var after = ExperimentsJson.Clone(before);
            var (targetBefore, targetAfter) = change(after, version);
            var failures = _validator.Validate(after);
            if (failures.Count > 0)
            {
                throw new ExperimentOperationException(
                    ExperimentOperationError.InvalidConfiguration, $"the change would make the configuration invalid; nothing was written: {string.Join(" | ", failures)}", failures);
            }

            var beforeState = RouterState.Compile(before);
            var afterState = RouterState.Compile(after);
            var impact = ImpactCounter.Count(beforeState, afterState, users);
            if (request.DryRun)
            {
                return new ExperimentOperationResult(operation, target, true, version, afterState.Version, impact);
            }

            // "{salt}" in a detail is the salt the change chose (a rotation's default salt depends on the store version).
            var entry = new ExperimentAuditEntry(
                version + 1, _time.GetUtcNow(), operation, target, request.Key, detail.Replace("{salt}", after.Holdout.Salt, StringComparison.Ordinal), beforeState.Version, afterState.Version,
                targetBefore is null ? null : ExperimentsJson.Element(targetBefore), ExperimentsJson.Element(targetAfter));
            var written = await _store.WriteAsync(after, version, entry, cancellationToken).ConfigureAwait(false);
            _source.Offer(written);
            Log.OperationApplied(_logger, operation, target, request.Key, written.Version, afterState.Version);
            return new ExperimentOperationResult(operation, target, false, written.Version, afterState.Version, impact);
        }
        catch (ExperimentOperationException ex)
        {
            Log.OperationRefused(_logger, operation, target, request.Key, ex.Error.ToString(), ex.Message);
            throw;
        }
    }
}

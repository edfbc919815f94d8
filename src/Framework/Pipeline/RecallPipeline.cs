using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Catalog;
using RecFramework.Channels;
using RecFramework.Diagnostics;
using RecFramework.Stores;

namespace RecFramework.Pipeline;

/// <summary>
/// The recall pipeline: looks up the user's history and profile, runs the planned channels in parallel with
/// per-channel quota and timeout, filters (interacted, blocked and disliked items, and items sharing the catalogue values
/// of recent dislikes: <see cref="NegativeFeedbackOptions"/>), fuses and deduplicates, and fills from the fallback channel.
/// A channel that throws or times out is logged, counted and skipped; the request still succeeds.
/// </summary>
public sealed class RecallPipeline
{
    private readonly IServiceProvider _services;
    private readonly RecallPlanner _planner;
    private readonly IOptionsMonitor<RecallPipelineOptions> _options;
    private readonly IUserHistoryStore _history;
    private readonly IUserProfileStore _profiles;
    private readonly IUserDislikeStore _dislikes;
    private readonly IItemCatalog _catalog;
    private readonly IOptionsMonitor<NegativeFeedbackOptions> _feedback;
    private readonly RecallMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RecallPipeline> _logger;
    private int _learnedFallbackLogged;

    /// <summary>Created by the container.</summary>
    public RecallPipeline(
        IServiceProvider services,
        ChannelCatalog catalog,
        IOptionsMonitor<ChannelOptions> channelOptions,
        IOptionsMonitor<RecallPipelineOptions> options,
        IUserHistoryStore history,
        IUserProfileStore profiles,
        IUserDislikeStore dislikes,
        IItemCatalog itemCatalog,
        IOptionsMonitor<NegativeFeedbackOptions> feedback,
        RecallMetrics metrics,
        TimeProvider time,
        ILogger<RecallPipeline> logger)
    {
        _services = services;
        _planner = new RecallPlanner(catalog, channelOptions);
        _options = options;
        _history = history;
        _profiles = profiles;
        _dislikes = dislikes;
        _catalog = itemCatalog;
        _feedback = feedback;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Serves one request.</summary>
    public ValueTask<RecommendResponse> RecommendAsync(RecommendRequest request, CancellationToken cancellationToken = default) =>
        RecommendCoreAsync(request, null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="request"/> as <see cref="RecommendAsync"/> does and returns what its fusion saw: each planned
    /// channel's filtered candidates (copies), for training a fusion model (<see cref="IFusionModel"/>) on exactly what it
    /// will rank when serving; and the response (its channel outcomes tell whether every channel answered).
    /// </summary>
    public async ValueTask<(RecommendResponse Response, FusionInput Input)> CollectFusionInputAsync(RecommendRequest request, CancellationToken cancellationToken = default)
    {
        var capture = new FusionCapture();
        var response = await RecommendCoreAsync(request, capture, cancellationToken).ConfigureAwait(false);
        return (response, capture.Input ?? throw new InvalidOperationException("The merge did not run."));
    }

    private async ValueTask<RecommendResponse> RecommendCoreAsync(RecommendRequest request, FusionCapture? capture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _time.GetTimestamp();
        var options = _options.CurrentValue;
        var k = ResolveK(request, options);
        var fusion = ResolveFusion(request.Parameters, options.Fusion);

        var feedback = _feedback.CurrentValue;
        var dislikesRead = feedback.MaxDislikes > 0 // sent before the history is read: one round trip less on a remote store
            ? _dislikes.GetRecentAsync(request.UserId, feedback.MaxDislikes, cancellationToken)
            : ValueTask.FromResult<IReadOnlyList<Interaction>>([]);
        var history = await _history.GetRecentAsync(request.UserId, options.HistoryLength, cancellationToken).ConfigureAwait(false);
        var profile = await _profiles.GetAsync(request.UserId, cancellationToken).ConfigureAwait(false);
        // Sized once: grown from empty through a hundred history items it left about as much garbage again.
        var exclude = new HashSet<long>(options.BlockedItems.Count + (options.FilterInteracted ? history.Count : 0) + (request.Exclude?.Count ?? 0));
        exclude.UnionWith(options.BlockedItems);
        if (options.FilterInteracted)
        {
            foreach (var e in history)
            {
                exclude.Add(e.ItemId);
            }
        }

        if (request.Exclude is not null)
        {
            exclude.UnionWith(request.Exclude);
        }

        var time = request.Time ?? _time.GetUtcNow();
        var dislikes = await dislikesRead.ConfigureAwait(false);
        var blocked = NegativeFeedbackFilter.Apply(dislikes, feedback, _catalog, time, exclude);

        var coldStart = history.Count < options.ColdStartMinHistory;
        var plans = _planner.Plan(request.Parameters, options.FallbackChannel);
        var fallbackPlan = plans.FirstOrDefault(p => p.Channel == options.FallbackChannel);
        var runFallbackSeparately = fallbackPlan is null;
        fallbackPlan ??= _planner.PlanFor(options.FallbackChannel, request.Parameters) with { Weight = 0 };
        if (coldStart || runFallbackSeparately)
        {
            fallbackPlan = fallbackPlan with { Quota = Math.Max(fallbackPlan.Quota, k) };
        }

        var context = new RecallRequest
        {
            UserId = request.UserId,
            K = 0,
            Profile = profile,
            History = history,
            Dislikes = dislikes,
            Exclude = exclude,
            Time = time,
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(options.RequestTimeoutMs));
        var all = runFallbackSeparately ? [.. plans, fallbackPlan] : plans;
        (RecallResult? Result, ChannelOutcome Outcome)[] results;
        using (var channelDeadlines = new ChannelDeadlines(_time, deadline.Token))
        {
            // Every token is armed before the first call starts, so each channel's timeout counts from the same instant.
            var tokens = new CancellationToken[all.Count];
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = channelDeadlines.For(all[i].Timeout);
            }

            var tasks = new Task<(RecallResult? Result, ChannelOutcome Outcome)>[all.Count];
            for (var i = 0; i < tasks.Length; i++)
            {
                tasks[i] = RunChannelAsync(all[i], context, tokens[i], deadline.Token);
            }

            results = await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();

        var filter = blocked is null ? exclude : NegativeFeedbackFilter.WithBlockedCandidates(exclude, results, blocked, feedback.Fields, _catalog);
        var (items, used) = Merge(all, results, filter, runFallbackSeparately, fallbackPlan.Channel, fusion, k,
            new FusionInput(request.UserId, history.Count, []), capture);
        var unserved = options.UnservedCandidates > 0 && Random.Shared.NextDouble() < options.UnservedSampleRate
            ? UnservedCandidates.Sample(results.AsSpan(0, runFallbackSeparately ? plans.Count : results.Length), filter, items, options.UnservedCandidates, Random.Shared)
            : null;
        foreach (var result in results)
        {
            result.Result?.ReturnToPool();
        }
        var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
        _metrics.Request(elapsed, coldStart);
        Log.Recommended(_logger, items.Count, request.UserId, elapsed, coldStart);
        return new RecommendResponse
        {
            UserId = request.UserId,
            Items = items,
            Channels = results.Select(r => r.Outcome).ToArray(),
            ColdStart = coldStart,
            Fusion = used,
            Unserved = unserved,
        };
    }

    /// <param name="plan">The channel's plan.</param>
    /// <param name="context">The request.</param>
    /// <param name="timeout">Cancelled at the channel's timeout or the request's deadline (<see cref="ChannelDeadlines"/>).</param>
    /// <param name="deadline">The request's deadline.</param>
    private async Task<(RecallResult? Result, ChannelOutcome Outcome)> RunChannelAsync(ChannelPlan plan, RecallRequest context, CancellationToken timeout, CancellationToken deadline)
    {
        var channel = _services.GetKeyedService<IRecallChannel>(plan.Channel);
        if (channel is null)
        {
            Log.UnknownChannel(_logger, plan.Channel);
            return (null, new ChannelOutcome(plan.Channel, ChannelStatus.Unknown, 0, 0, Error: $"Channel '{plan.Channel}' is not registered."));
        }

        var started = _time.GetTimestamp();
        var request = context with { K = plan.Quota, Parameters = plan.Parameters };
        ChannelOutcome outcome;
        RecallResult? answer = null;
        try
        {
            // On the thread pool, so CPU-bound channels that complete synchronously still run in parallel; a call that
            // ignores its token is abandoned once the token is cancelled (ChannelCall).
            answer = await ChannelCall.Start(channel, request, timeout).ConfigureAwait(false);
            outcome = new ChannelOutcome(plan.Channel, ChannelStatus.Ok, answer.Items.Count, _time.GetElapsedTime(started).TotalMilliseconds, answer.Version);
        }
        // The request deadline is checked too: its cancellation can resume this call before it reaches the linked source.
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && (timeout.IsCancellationRequested || deadline.IsCancellationRequested)))
        {
            Log.ChannelTimedOut(_logger, plan.Channel, plan.Timeout.TotalMilliseconds, context.UserId);
            outcome = new ChannelOutcome(plan.Channel, ChannelStatus.TimedOut, 0, _time.GetElapsedTime(started).TotalMilliseconds, Error: "timeout");
        }
        catch (RecFrameworkException ex) when (ex.Error == RecError.ChannelNotReady)
        {
            // Expected until an artifact is activated (start-up logs it once); no stack trace on every request.
            Log.ChannelNotReady(_logger, plan.Channel, ex.Message);
            outcome = new ChannelOutcome(plan.Channel, ChannelStatus.Failed, 0, _time.GetElapsedTime(started).TotalMilliseconds, Error: ex.Message);
        }
        catch (RecFrameworkException ex) when (plan.Parameters.ContainsKey(RecallParameterKeys.Version) && ex.Error is RecError.ArtifactNotFound or RecError.ArtifactCorrupt or RecError.InvalidArgument or RecError.InvalidConfiguration)
        {
            // A pinned version that cannot be served: logged once with its reason when its load failed, not per request.
            Log.PinnedVersionRefused(_logger, plan.Channel, ex.Message);
            outcome = new ChannelOutcome(plan.Channel, ChannelStatus.Failed, 0, _time.GetElapsedTime(started).TotalMilliseconds, Error: ex.Message);
        }
        catch (Exception ex)
        {
            Log.ChannelFailed(_logger, plan.Channel, context.UserId, ex);
            outcome = new ChannelOutcome(plan.Channel, ChannelStatus.Failed, 0, _time.GetElapsedTime(started).TotalMilliseconds, Error: ex.Message);
        }

        _metrics.Channel(plan.Channel, outcome.ElapsedMs, outcome.Status);
        return (answer, outcome);
    }

    /// <summary>
    /// Filters each channel's candidates (excluded, repeated, over quota), fuses them and fills up from the fallback
    /// list; synchronous, on the calling thread's <see cref="MergeScratch"/>.
    /// </summary>
    private (List<RecommendedItem> Items, FusionMode Used) Merge(
        IReadOnlyList<ChannelPlan> plans,
        (RecallResult? Result, ChannelOutcome Outcome)[] results,
        HashSet<long> exclude,
        bool fallbackIsLast,
        string fallbackChannel,
        FusionMode fusion,
        int k,
        FusionInput request,
        FusionCapture? capture)
    {
        var scratch = MergeScratch.Rent();
        var fused = new (ChannelPlan Plan, IReadOnlyList<ScoredItem> Items)[fallbackIsLast ? plans.Count - 1 : plans.Count];
        ArraySegment<ScoredItem> fallbackItems = default;
        for (var i = 0; i < plans.Count; i++)
        {
            var filtered = scratch.Filter(results[i].Result?.Items ?? [], exclude, plans[i].Quota);
            if (fallbackIsLast && i == plans.Count - 1)
            {
                fallbackItems = filtered;
            }
            else
            {
                fused[i] = (plans[i], filtered);
            }
        }

        if (capture is not null)
        {
            capture.Input = request with { Lists = fused.Select(f => new FusionList(f.Plan.Channel, f.Plan.Weight, f.Items.ToArray())).ToArray() };
        }

        List<RecommendedItem>? items = null;
        if (fusion == FusionMode.Learned)
        {
            var model = _services.GetService<IFusionModel>();
            items = model?.Fuse(request with { Lists = fused.Select(f => new FusionList(f.Plan.Channel, f.Plan.Weight, f.Items)).ToArray() }, k);
            if (items is null)
            {
                var configured = _options.CurrentValue.Fusion;
                fusion = configured == FusionMode.Learned ? FusionMode.ReciprocalRank : configured;
                if (Interlocked.Exchange(ref _learnedFallbackLogged, 1) == 0)
                {
                    Log.LearnedFusionUnavailable(_logger, model is null ? "no fusion model is registered" : "the fusion model is not loaded", fusion);
                }
            }
        }

        items ??= ScoreFusion.Fuse(fusion, fused, k);
        if (items.Count < k && fallbackItems.Count > 0)
        {
            var present = scratch.Seen;
            present.Clear();
            foreach (var item in items)
            {
                present.Add(item.ItemId);
            }

            var fillScore = items.Count > 0 ? items[^1].Score : 0;
            string[] channel = [fallbackChannel];
            foreach (var candidate in fallbackItems)
            {
                if (items.Count >= k)
                {
                    break;
                }

                if (present.Add(candidate.ItemId))
                {
                    fillScore = Math.BitDecrement(fillScore);
                    items.Add(new RecommendedItem(candidate.ItemId, Math.Min(fillScore, 0), channel));
                }
            }
        }

        return (items, fusion);
    }

    private static int ResolveK(RecommendRequest request, RecallPipelineOptions options)
    {
        var k = request.K ?? (request.Parameters is not null && request.Parameters.TryGetValue(RecallParameterKeys.K, out var text) && int.TryParse(text, out var pk) ? pk : options.DefaultK);
        if (k <= 0 || k > options.MaxK)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"k = {k} is outside [1, {options.MaxK}].");
        }

        return k;
    }

    private static FusionMode ResolveFusion(IReadOnlyDictionary<string, string>? parameters, FusionMode fallback)
    {
        if (parameters is null || !parameters.TryGetValue(RecallParameterKeys.Fusion, out var text))
        {
            return fallback;
        }

        return Enum.TryParse<FusionMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new RecFrameworkException(RecError.InvalidConfiguration, $"Parameter 'fusion' = '{text}' is not one of {string.Join(", ", Enum.GetNames<FusionMode>())}.");
    }

    /// <summary>Receives the fusion input of one <see cref="CollectFusionInputAsync"/> call.</summary>
    private sealed class FusionCapture
    {
        public FusionInput? Input { get; set; }
    }
}

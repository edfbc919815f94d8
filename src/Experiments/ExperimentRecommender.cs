using RecFramework.Experiments.Interleaving;
using RecFramework.Pipeline;

namespace RecFramework.Experiments;

/// <summary>
/// Experiment-aware recommending, the one path from a user to an answer: assign the user (holdout, layers,
/// variants), put the variant's parameters on the request (channels, quotas, weights, versions), run the
/// <see cref="RecallPipeline"/> (for a user of an interleaving experiment, every variant's pipeline at once, merged by
/// <see cref="TeamDraft"/>), hand the answer with its assignment to every <see cref="IExposureSink"/>.
/// The service's <c>/recommend</c>, replay, simulation and package users call it. Registered by <c>AddRecExperiments</c>.
/// </summary>
public sealed class ExperimentRecommender(RecallPipeline pipeline, IExperimentRouter router, IEnumerable<IExposureSink> sinks, TimeProvider time)
{
    private readonly IExposureSink[] _sinks = sinks.ToArray();

    /// <summary>The router that assigns users.</summary>
    public IExperimentRouter Router => router;

    /// <summary>Recommends to <paramref name="userId"/> and notifies the exposure sinks.</summary>
    /// <param name="userId">External user id.</param>
    /// <param name="k">Items wanted (null: the pipeline's default).</param>
    /// <param name="requestId">The caller's request id, or null for a new one.</param>
    /// <param name="at">Request time (null: now); replays pass the replayed time.</param>
    /// <param name="cancellationToken">Cancels the channels.</param>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: k is outside the allowed range.</exception>
    public ValueTask<ExperimentRecommendation> RecommendAsync(long userId, int? k = null, string? requestId = null, DateTimeOffset? at = null, CancellationToken cancellationToken = default) =>
        RecommendAsync(router.Assign(userId), k, requestId, at, cancellationToken);

    /// <summary>Recommends to the user of an assignment the caller already made (e.g. to log it first).</summary>
    /// <param name="assignment">The user's assignment from <see cref="Router"/>.</param>
    /// <param name="k">Items wanted (null: the pipeline's default).</param>
    /// <param name="requestId">The caller's request id, or null for a new one.</param>
    /// <param name="at">Request time (null: now).</param>
    /// <param name="cancellationToken">Cancels the channels.</param>
    public async ValueTask<ExperimentRecommendation> RecommendAsync(ExperimentAssignment assignment, int? k = null, string? requestId = null, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var userId = assignment.UserId;
        var now = at ?? time.GetUtcNow();
        requestId ??= Guid.NewGuid().ToString("N");
        ExperimentRecommendation served;
        if (assignment.Interleaved is { } interleaved)
        {
            served = await InterleaveAsync(assignment, interleaved.Teams, k, requestId, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var response = await pipeline.RecommendAsync(new RecommendRequest { UserId = userId, K = k, Parameters = assignment.Parameters, Time = now }, cancellationToken).ConfigureAwait(false);
            served = new ExperimentRecommendation(requestId, response, assignment, k ?? response.Items.Count, now);
        }

        foreach (var sink in _sinks)
        {
            sink.Served(served);
        }

        return served;
    }

    /// <summary>
    /// Runs every variant's pipeline at once and merges their answers by team-draft interleaving or multileaving, seeded
    /// by user and request id (<see cref="TeamDraft.Seed"/>); the answer's channel outcomes are every variant's, in order.
    /// </summary>
    private async ValueTask<ExperimentRecommendation> InterleaveAsync(ExperimentAssignment assignment, IReadOnlyList<InterleavedTeam> teams, int? k, string requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runs = new Task<RecommendResponse>[teams.Count];
        for (var t = 0; t < teams.Count; t++)
        {
            var request = new RecommendRequest { UserId = assignment.UserId, K = k, Parameters = assignment.ParametersFor(teams[t]), Time = now };
            runs[t] = pipeline.RecommendAsync(request, cancellationToken).AsTask();
        }

        var responses = await Task.WhenAll(runs).ConfigureAwait(false);
        var wanted = k ?? responses.Max(r => r.Items.Count);
        var merged = TeamDraft.Merge(responses.Select(r => (IReadOnlyList<long>)r.Items.Select(i => i.ItemId).ToArray()).ToArray(), wanted, TeamDraft.Seed(assignment.UserId, requestId));
        var items = new RecommendedItem[merged.Items.Count];
        var placedBy = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var team = merged.Teams[i];
            items[i] = responses[team].Items.First(item => item.ItemId == merged.Items[i]);
            placedBy[i] = teams[team].Variant;
        }

        var response = new RecommendResponse
        {
            UserId = assignment.UserId,
            Items = items,
            Channels = responses.SelectMany(r => r.Channels).ToArray(),
            ColdStart = responses.Any(r => r.ColdStart),
            Fusion = responses[0].Fusion,
        };
        return new ExperimentRecommendation(requestId, response, assignment, wanted, now) { Teams = placedBy };
    }
}

using RecFramework.Pipeline;

namespace RecFramework.Experiments;

/// <summary>
/// Experiment-aware recommending, the one path from a user to an answer: assign the user (holdout, layers,
/// variants), put the variant's parameters on the request (channels, quotas, weights, versions), run the
/// <see cref="RecallPipeline"/>, hand the answer with its assignment to every <see cref="IExposureSink"/>.
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
        var response = await pipeline.RecommendAsync(new RecommendRequest { UserId = userId, K = k, Parameters = assignment.Parameters, Time = now }, cancellationToken).ConfigureAwait(false);
        var served = new ExperimentRecommendation(requestId ?? Guid.NewGuid().ToString("N"), response, assignment, k ?? response.Items.Count, now);
        foreach (var sink in _sinks)
        {
            sink.Served(served);
        }

        return served;
    }
}

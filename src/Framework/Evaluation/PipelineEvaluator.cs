using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Catalog;
using RecFramework.Pipeline;
using RecFramework.Stores;

namespace RecFramework.Evaluation;

/// <summary>
/// Scores the recall pipeline's merged answer (<see cref="RecallPipeline"/>: the channels given, their configured
/// quotas and weights, the configured fusion, the filters and the fill from the fallback channel, as
/// <c>/recommend</c> serves it) on the test users of a <see cref="DatasetSplit"/>, with the same metrics and the same
/// exclusions as <see cref="ChannelEvaluator"/>.
/// </summary>
public static class PipelineEvaluator
{
    /// <summary>The name the merged answer is reported under.</summary>
    public const string Name = "pipeline";

    /// <summary>
    /// Per-channel timeout in milliseconds set for the evaluation (as the <c>{channel}.timeout_ms</c> parameter): offline
    /// figures must not depend on how busy the machine is. Give the pipeline's <c>RequestTimeoutMs</c> as much.
    /// </summary>
    public const int TimeoutMs = 600_000;

    /// <summary>
    /// Seeds the online stores from the train part (each test user's train history in time order as the evaluator
    /// sends it to channels, popularity counts of the train positives, user profiles, the item catalogue), then asks the
    /// pipeline for every test user: <c>channels</c> = <paramref name="channels"/>, k = the largest cut-off, the user's
    /// train items excluded, request time just after the user's last train event.
    /// </summary>
    /// <param name="services">
    /// A container with the framework and the channels registered, each channel already built on
    /// <paramref name="split"/>'s train part and active (as <see cref="ChannelEvaluator.EvaluateAsync"/> leaves it), and
    /// empty online stores.
    /// </param>
    /// <param name="channels">The channels to merge.</param>
    /// <param name="split">Train snapshot and test users.</param>
    /// <param name="options">Cut-offs, history length, parallelism, progress.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>The figures under <see cref="Name"/>.</returns>
    /// <exception cref="RecFrameworkException">A channel of the plan failed or timed out for a user (the figures would not be the pipeline's).</exception>
    public static async Task<ChannelEvaluation> EvaluateAsync(IServiceProvider services, IReadOnlyList<string> channels, DatasetSplit split, EvaluationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        if (channels.Count == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, "No channel to merge in the pipeline evaluation.");
        }

        var ks = RankedListScorer.CheckedKs(options.Ks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Parallelism);
        ArgumentOutOfRangeException.ThrowIfNegative(options.HistoryLength);
        var users = UserContexts.Build(split, options.HistoryLength);
        await SeedStoresAsync(services, split, users, cancellationToken).ConfigureAwait(false);

        var pipeline = services.GetRequiredService<RecallPipeline>();
        var parameters = Parameters(services, channels, options.Fusion);
        var maxK = ks[^1];
        return await RankedListScorer.ScoreAsync(Name, users, ks, split.TrainItemCount, options, async (user, ct) =>
        {
            var response = await pipeline.RecommendAsync(Request(user, maxK, parameters), ct).ConfigureAwait(false);
            CheckOutcomes(response.Channels, user.UserId);
            if (options.Fusion is { } fusion && response.Fusion != fusion)
            {
                throw new RecFrameworkException(RecError.InvalidArgument,
                    $"Pipeline evaluation: fusion {fusion} was asked but the pipeline used {response.Fusion} for user {user.UserId} (see the log).");
            }

            return response.Items.Select(i => i.ItemId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Training data for a fusion model (<see cref="IFusionModel"/>): seeds the stores as <see cref="EvaluateAsync"/>
    /// does, asks the pipeline for every user of <paramref name="split"/> in the same way and keeps what its fusion saw
    /// (<see cref="RecallPipeline.CollectFusionInputAsync"/>) with the user's held-out items as the labels. Give a
    /// validation split (<see cref="TemporalSplit.SplitForValidation"/>) so the model never sees the test part.
    /// </summary>
    /// <param name="services">As for <see cref="EvaluateAsync"/>: channels built on <paramref name="split"/>'s train part, empty stores.</param>
    /// <param name="channels">The channels to merge.</param>
    /// <param name="split">Train snapshot and the users whose held-out items are the labels.</param>
    /// <param name="options">History length, parallelism, largest cut-off (the k asked).</param>
    /// <param name="cancellationToken">Cancels the collection.</param>
    /// <returns>One example per user of <paramref name="split"/>, ordered by user id.</returns>
    /// <exception cref="RecFrameworkException">A channel of the plan failed or timed out for a user.</exception>
    public static async Task<FusionTrainingSet> CollectFusionExamplesAsync(IServiceProvider services, IReadOnlyList<string> channels, DatasetSplit split, EvaluationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        if (channels.Count == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, "No channel to merge for the fusion examples.");
        }

        var maxK = RankedListScorer.CheckedKs(options.Ks)[^1];
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Parallelism);
        var users = UserContexts.Build(split, options.HistoryLength);
        await SeedStoresAsync(services, split, users, cancellationToken).ConfigureAwait(false);
        var pipeline = services.GetRequiredService<RecallPipeline>();
        var parameters = Parameters(services, channels, null);
        var examples = new FusionExample[users.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (u, ct) =>
        {
            var user = users[u];
            var (response, input) = await pipeline.CollectFusionInputAsync(Request(user, maxK, parameters), ct).ConfigureAwait(false);
            CheckOutcomes(response.Channels, user.UserId);
            examples[u] = new FusionExample(input, user.Relevant);
        }).ConfigureAwait(false);

        var popularity = new Dictionary<long, double>();
        foreach (ref readonly var e in split.Train.Interactions.AsSpan())
        {
            if (e.IsPositive)
            {
                popularity[e.ItemId] = popularity.GetValueOrDefault(e.ItemId) + 1;
            }
        }

        return new FusionTrainingSet(examples, popularity);
    }

    private static Dictionary<string, string> Parameters(IServiceProvider services, IReadOnlyList<string> channels, FusionMode? fusion)
    {
        var fallback = services.GetRequiredService<IOptionsMonitor<RecallPipelineOptions>>().CurrentValue.FallbackChannel;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { [RecallParameterKeys.Channels] = string.Join(",", channels) };
        foreach (var channel in channels.Append(fallback))
        {
            parameters[$"{channel}.{RecallParameterKeys.TimeoutMs}"] = TimeoutMs.ToString(CultureInfo.InvariantCulture);
        }

        if (fusion is { } mode)
        {
            parameters[RecallParameterKeys.Fusion] = mode.ToString();
        }

        return parameters;
    }

    private static RecommendRequest Request(UserContext user, int k, Dictionary<string, string> parameters) => new()
    {
        UserId = user.UserId,
        K = k,
        Parameters = parameters,
        Exclude = user.TrainItems,
        Time = DateTimeOffset.FromUnixTimeSeconds(user.LastTrainTimestamp + 1),
    };

    private static void CheckOutcomes(IReadOnlyList<ChannelOutcome> outcomes, long userId)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Status != ChannelStatus.Ok)
            {
                throw new RecFrameworkException(RecError.InvalidArgument,
                    $"Pipeline evaluation: channel '{outcome.Channel}' {outcome.Status} for user {userId}: {outcome.Error}");
            }
        }
    }

    private static async Task SeedStoresAsync(IServiceProvider services, DatasetSplit split, UserContext[] users, CancellationToken cancellationToken)
    {
        var history = services.GetRequiredService<IUserHistoryStore>();
        foreach (var user in users)
        {
            foreach (var e in user.History)
            {
                await history.AppendAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }

        var counts = new Dictionary<long, double>();
        foreach (ref readonly var e in split.Train.Interactions.AsSpan())
        {
            if (e.IsPositive)
            {
                counts[e.ItemId] = counts.GetValueOrDefault(e.ItemId) + 1;
            }
        }

        await services.GetRequiredService<IItemPopularityStore>().ReplaceAsync(counts, cancellationToken).ConfigureAwait(false);
        var profiles = services.GetRequiredService<IUserProfileStore>();
        foreach (var profile in split.Train.Users.All)
        {
            await profiles.UpsertAsync(profile, cancellationToken).ConfigureAwait(false);
        }

        var catalog = services.GetRequiredService<IOptions<ItemCatalogOptions>>().Value;
        await ItemCatalogSeeder.SeedAsync(services.GetRequiredService<IItemCatalog>(), split.Train, catalog.PublishTimeField, cancellationToken).ConfigureAwait(false);
    }
}

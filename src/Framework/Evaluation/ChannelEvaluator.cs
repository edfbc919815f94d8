using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.Evaluation;

/// <summary>
/// Builds a channel on the train part of a <see cref="DatasetSplit"/>, activates the artifact, and scores every test
/// user by calling the channel directly (no pipeline, no fallback): full ranking over the train catalogue, the items
/// of the user's positive train events excluded (impressions alone do not exclude an item).
/// </summary>
public static class ChannelEvaluator
{
    /// <summary>Evaluates <paramref name="channel"/>.</summary>
    /// <param name="services">A container with the framework and the channel registered (keyed builder and channel).</param>
    /// <param name="channel">The channel name.</param>
    /// <param name="split">Train snapshot and test users.</param>
    /// <param name="options">Cut-offs, history length, parallelism, seed, progress.</param>
    /// <param name="cancellationToken">Cancels the build and the scoring.</param>
    /// <exception cref="RecFrameworkException">The channel (or the builder of an artifact channel) is not registered.</exception>
    public static async Task<ChannelEvaluation> EvaluateAsync(IServiceProvider services, string channel, DatasetSplit split, EvaluationOptions options, CancellationToken cancellationToken)
    {
        var (recall, ks) = Checked(services, channel, split, options);
        var lifecycle = services.GetRequiredService<ChannelLifecycle>();
        double buildSeconds = 0;
        string? version = null;
        if (lifecycle.Builder(channel) is not null)
        {
            var watch = Stopwatch.StartNew();
            var handle = await lifecycle.BuildAndActivateAsync(channel, split.Train, new ChannelBuildSettings
            {
                Seed = options.Seed,
                Progress = options.BuildProgress,
                Parameters = options.BuildParameters,
            }, cancellationToken).ConfigureAwait(false);
            buildSeconds = watch.Elapsed.TotalSeconds;
            version = handle.Manifest.Version;
        }
        else if (recall is IArtifactChannel)
        {
            throw new RecFrameworkException(RecError.UnknownChannel, $"Channel '{channel}' serves artifacts but has no registered builder.");
        }

        var evaluation = await ScoreAsync(recall, channel, null, split, ks, options, cancellationToken).ConfigureAwait(false);
        return evaluation with { BuildSeconds = buildSeconds, ArtifactVersion = version };
    }

    /// <summary>
    /// Scores a published version of <paramref name="channel"/> on <paramref name="split"/> without building or activating
    /// anything: every request pins <paramref name="version"/> (<see cref="RecallParameterKeys.Version"/>), so the
    /// channel serves it beside its serving version (channels that keep pinned versions: ItemCF, Swing, UserCF,
    /// two-tower); null scores the serving version.
    /// </summary>
    /// <param name="services">A container with the framework and the channel registered.</param>
    /// <param name="channel">The channel name.</param>
    /// <param name="version">The version to score, or null for the serving one.</param>
    /// <param name="split">Train snapshot (histories, excluded items) and test users.</param>
    /// <param name="options">Cut-offs, history length, parallelism (build settings are not used).</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <exception cref="RecFrameworkException">The channel is not registered, or the version cannot be served.</exception>
    public static Task<ChannelEvaluation> ScoreVersionAsync(IServiceProvider services, string channel, string? version, DatasetSplit split, EvaluationOptions options, CancellationToken cancellationToken)
    {
        var (recall, ks) = Checked(services, channel, split, options);
        return ScoreAsync(recall, channel, version, split, ks, options, cancellationToken);
    }

    /// <summary>Checks the arguments of an evaluation and finds the channel; returns it with the checked cut-offs.</summary>
    private static (IRecallChannel Recall, int[] Ks) Checked(IServiceProvider services, string channel, DatasetSplit split, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        var ks = RankedListScorer.CheckedKs(options.Ks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Parallelism);
        ArgumentOutOfRangeException.ThrowIfNegative(options.HistoryLength);
        var recall = services.GetKeyedService<IRecallChannel>(channel)
            ?? throw new RecFrameworkException(RecError.UnknownChannel, $"Channel '{channel}' is not registered.");
        return (recall, ks);
    }

    private static async Task<ChannelEvaluation> ScoreAsync(IRecallChannel recall, string channel, string? version, DatasetSplit split, int[] ks, EvaluationOptions options, CancellationToken cancellationToken)
    {
        var users = UserContexts.Build(split, options.HistoryLength);
        var maxK = ks[^1];
        var parameters = version is null
            ? RecallRequest.EmptyParameters
            : new Dictionary<string, string>(StringComparer.Ordinal) { [RecallParameterKeys.Version] = version };
        var evaluation = await RankedListScorer.ScoreAsync(channel, users, ks, split.TrainItemCount, options, async (user, ct) =>
        {
            var request = new RecallRequest
            {
                UserId = user.UserId,
                K = maxK,
                History = user.History,
                Exclude = user.TrainItems,
                Profile = user.Profile,
                Time = DateTimeOffset.FromUnixTimeSeconds(user.LastTrainTimestamp + 1),
                Parameters = parameters,
            };
            try
            {
                var result = await recall.RecallAsync(request, ct).ConfigureAwait(false);
                return result.Items.Select(i => i.ItemId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"Channel '{channel}' failed for user {user.UserId}: {ex.Message}", ex);
            }
        }, cancellationToken).ConfigureAwait(false);
        return evaluation with { ArtifactVersion = version };
    }
}

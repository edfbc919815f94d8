using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Evaluation;
using RecFramework.Lifecycle;
using RecFramework.Tuning;
using Spectre.Console;

namespace RecFramework.Analysis.Tuning;

/// <summary>
/// Per-dataset tuning (the <c>tune</c> command): for each channel, random search with successive halving over the
/// search space its builder declares (<see cref="ITunableChannelBuilder"/>), scored on the inner validation split
/// (<see cref="TemporalSplit.SplitForValidation"/>: the train part of the outer split, split again; the outer test part
/// is never read). The objective is Recall@K; NDCG@K is reported beside it.
/// </summary>
/// <remarks>
/// <para>
/// The configured defaults and <see cref="TuningOptions.Budget"/> distinct random configurations enter the first rung.
/// A rung's budget is a seeded subsample of users: every configuration is built on the inner train events of those
/// users only and scored on their validation events. Each rung keeps the best 1/<see cref="TuningOptions.Eta"/> and
/// the next gives them <see cref="TuningOptions.Eta"/> times the users; the last rung has every user. The defaults are
/// always scored on every user; the choice is the best configuration of the last rung, or the defaults when they
/// score at least as well.
/// </para>
/// </remarks>
public static class ChannelTuner
{
    /// <summary>Manifest property holding the chosen build parameters as a JSON object (<see cref="TuningRecord"/>).</summary>
    public const string OptionsProperty = "tuning.options";

    /// <summary>Manifest property naming the objective ("recall@20").</summary>
    public const string ObjectiveProperty = "tuning.objective";

    /// <summary>Loads <paramref name="dataPath"/> (see <see cref="DatasetLoader"/>) and tunes it.</summary>
    public static Task<TuningResult> RunAsync(string dataPath, TuningOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataPath);
        return RunAsync(DatasetLoader.Load(dataPath), options, cancellationToken);
    }

    /// <summary>Tunes every channel of <paramref name="options"/> on <paramref name="data"/>.</summary>
    /// <exception cref="RecFrameworkException">Bad options, an unknown channel, a channel without a search space, or too little data.</exception>
    public static async Task<TuningResult> RunAsync(InteractionDataset data, TuningOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        if (options.ShuffleTimeSeed is { } shuffleSeed)
        {
            data = data.WithShuffledTimestamps(shuffleSeed);
        }

        var split = TemporalSplit.SplitForValidation(data, options.TestFraction);
        if (split.Test.Count == 0)
        {
            throw new RecFrameworkException(RecError.MalformedInput,
                $"Dataset '{data.Name}' has no user to validate on: {data.Interactions.Length} interaction(s), too few per user for an outer and an inner holdout. Give a larger dataset.");
        }

        var artifacts = Path.Combine(Path.GetTempPath(), "recfw-tune-" + Guid.NewGuid().ToString("N"));
        var results = new List<ChannelTuning>();
        try
        {
            await using (var provider = await ComposeAsync(options, artifacts, cancellationToken).ConfigureAwait(false))
            {
                var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
                var spaces = options.Channels.ToDictionary(c => c, c => SpaceOf(lifecycle, c), StringComparer.Ordinal);
                foreach (var channel in options.Channels)
                {
                    results.Add(await TuneAsync(provider, channel, spaces[channel], split, options, cancellationToken).ConfigureAwait(false));
                }
            }

            if (options.ArtifactsDirectory is { } directory)
            {
                await using var provider = await ComposeAsync(options, directory, cancellationToken).ConfigureAwait(false);
                var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
                for (var i = 0; i < results.Count; i++)
                {
                    var handle = await lifecycle.BuildAsync(results[i].Channel, data, new ChannelBuildSettings
                    {
                        Seed = options.Seed,
                        Parameters = results[i].Chosen,
                        ManifestProperties = TuningRecord.Properties(results[i], options.K),
                        ManifestMetrics = TuningRecord.Metrics(results[i]),
                    }, cancellationToken).ConfigureAwait(false);
                    results[i] = results[i] with { ArtifactVersion = handle.Manifest.Version };
                    Say(options, $"[bold]{Markup.Escape(results[i].Channel)}[/]: built the choice on the whole dataset as version {Markup.Escape(handle.Manifest.Version)}");
                }
            }
        }
        finally
        {
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }

        return new TuningResult(data.Name, split.Protocol, split.Test.Count, options.K, results);
    }

    /// <summary>
    /// The user shares of the rungs for <paramref name="configurations"/> configurations over <paramref name="users"/>
    /// validation users: <c>Eta^-(R-1) … Eta^-1, 1</c>, with as many rungs as halving needs to reach one configuration,
    /// fewer when the cheapest rung would score under <see cref="TuningOptions.MinRungUsers"/> users.
    /// </summary>
    public static IReadOnlyList<double> RungShares(int configurations, int users, TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rungs = 1;
        for (var n = configurations; n > 1; n = (n + options.Eta - 1) / options.Eta)
        {
            rungs++;
        }

        rungs = Math.Max(1, rungs - 1);
        while (rungs > 1 && users * Math.Pow(options.Eta, -(rungs - 1)) < options.MinRungUsers)
        {
            rungs--;
        }

        return [.. Enumerable.Range(0, rungs).Select(r => Math.Pow(options.Eta, r - (rungs - 1)))];
    }

    private static async Task<ChannelTuning> TuneAsync(IServiceProvider provider, string channel, TuningSpace space, DatasetSplit split, TuningOptions options, CancellationToken cancellationToken)
    {
        // Not HashCode.Combine: it is randomised per process, so the same seed would draw other configurations each run.
        var random = new Random(unchecked((options.Seed * 397) ^ StableHash(channel)));
        var candidates = new List<IReadOnlyDictionary<string, string>> { new Dictionary<string, string>() };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var wanted = (int)Math.Min(options.Budget, space.Size);
        for (var attempts = 0; candidates.Count - 1 < wanted && attempts < 100 * (wanted + 1); attempts++)
        {
            var sample = space.Sample(random);
            if (seen.Add(Key(sample)))
            {
                candidates.Add(sample);
            }
        }

        // Nested user subsamples: rung r scores the first share·n users of one seeded permutation.
        var users = split.Test.Keys.Order().ToArray();
        new Random(options.Seed).Shuffle(users);
        var shares = RungShares(candidates.Count, users.Length, options);
        var trials = new List<TuningTrial>();
        var alive = candidates.Select((c, i) => (Index: i, Parameters: c)).ToList();
        var scores = new Dictionary<int, TuningTrial>();
        for (var rung = 0; rung < shares.Count; rung++)
        {
            var last = rung == shares.Count - 1;
            var subset = last ? split : Subsample(split, users.Take(Math.Max(1, (int)Math.Round(users.Length * shares[rung]))));
            scores.Clear();
            foreach (var (index, parameters) in alive)
            {
                var trial = await ScoreAsync(provider, channel, subset, parameters, rung, options, cancellationToken).ConfigureAwait(false);
                scores[index] = trial;
                trials.Add(trial);
                Say(options, $"[bold]{Markup.Escape(channel)}[/] rung {rung + 1}/{shares.Count} ({trial.Users:N0} users): recall@{options.K} {F(trial.Recall)}  ndcg@{options.K} {F(trial.Ndcg)}  {Markup.Escape(Text(parameters))}");
            }

            if (!last)
            {
                var keep = Math.Max(1, (alive.Count + options.Eta - 1) / options.Eta);
                alive = [.. alive.OrderByDescending(a => scores[a.Index].Recall).ThenBy(a => a.Index).Take(keep)];
            }
        }

        var defaults = scores.TryGetValue(0, out var scored) ? scored : null;
        if (defaults is null)
        {
            defaults = await ScoreAsync(provider, channel, split, candidates[0], shares.Count - 1, options, cancellationToken).ConfigureAwait(false);
            trials.Add(defaults);
            Say(options, $"[bold]{Markup.Escape(channel)}[/] defaults ({defaults.Users:N0} users): recall@{options.K} {F(defaults.Recall)}  ndcg@{options.K} {F(defaults.Ndcg)}");
        }

        var best = alive.Select(a => scores[a.Index]).OrderByDescending(t => t.Recall).First();
        if (defaults.Recall >= best.Recall)
        {
            best = defaults;
        }

        return new ChannelTuning(channel, best.Parameters, defaults.Recall, defaults.Ndcg, best.Recall, best.Ndcg, trials);
    }

    private static async Task<TuningTrial> ScoreAsync(IServiceProvider provider, string channel, DatasetSplit split, IReadOnlyDictionary<string, string> parameters, int rung, TuningOptions options, CancellationToken cancellationToken)
    {
        var evaluation = await ChannelEvaluator.EvaluateAsync(provider, channel, split, new EvaluationOptions
        {
            Ks = [options.K],
            Seed = options.Seed,
            BuildParameters = parameters,
            Parallelism = Math.Max(1, Environment.ProcessorCount),
        }, cancellationToken).ConfigureAwait(false);
        var metrics = evaluation.At(options.K);
        return new TuningTrial(parameters, rung, split.Test.Count, metrics.Recall, metrics.Ndcg);
    }

    /// <summary>The split restricted to <paramref name="users"/>: their inner train events and their validation events.</summary>
    private static DatasetSplit Subsample(DatasetSplit split, IEnumerable<long> users)
    {
        var keep = users.ToHashSet();
        var train = split.Train.Interactions.Where(i => keep.Contains(i.UserId)).ToArray();
        return split with
        {
            Train = split.Train.With(split.Train.Name, train),
            Test = split.Test.Where(kv => keep.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value),
            TrainItemCount = train.Select(i => i.ItemId).Distinct().Count(),
        };
    }

    private static TuningSpace SpaceOf(ChannelLifecycle lifecycle, string channel) => lifecycle.Builder(channel) switch
    {
        null => throw new RecFrameworkException(RecError.UnknownChannel,
            $"Channel '{channel}' has no registered builder, so nothing can be tuned (channels with builders: {string.Join(", ", lifecycle.Channels.Where(c => lifecycle.Builder(c) is not null))})."),
        ITunableChannelBuilder tunable => tunable.TuningSpace,
        _ => throw new RecFrameworkException(RecError.InvalidArgument, $"Channel '{channel}' declares no tuning search space (its builder is not an ITunableChannelBuilder)."),
    };

    private static async Task<ServiceProvider> ComposeAsync(TuningOptions options, string artifacts, CancellationToken cancellationToken)
    {
        var (services, _) = AnalysisServices.Compose(options.Configuration, options.ConfigFile, artifacts, options.ConfigureServices, options.Overrides);
        var provider = services.BuildServiceProvider();
        try
        {
            await provider.ValidateRecFrameworkAsync(cancellationToken).ConfigureAwait(false);
            return provider;
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Check(TuningOptions options)
    {
        if (options.Channels.Count == 0)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, "No channel to tune (--channels is empty).");
        }

        if (options.Channels.Distinct(StringComparer.Ordinal).Count() != options.Channels.Count)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"--channels names a channel twice ({string.Join(", ", options.Channels)}).");
        }

        if (options.Budget < 1)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"--budget must be at least 1 (got {options.Budget.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (options.Eta < 2)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Eta must be at least 2 (got {options.Eta.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (options.K < 1)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"K must be at least 1 (got {options.K.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    private static void Say(TuningOptions options, string markup)
    {
        if (options.ShowProgress)
        {
            AnsiConsole.MarkupLine(markup);
        }
    }

    private static string Key(IReadOnlyDictionary<string, string> parameters) =>
        string.Join(";", parameters.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Key}={p.Value}"));

    private static string Text(IReadOnlyDictionary<string, string> parameters) => parameters.Count == 0 ? "(defaults)" : Key(parameters);

    private static int StableHash(string value) => value.Aggregate(17, (h, c) => unchecked((h * 31) + c));

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

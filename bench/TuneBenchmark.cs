using System.Globalization;
using RecFramework.Analysis.Tuning;
using RecFramework.Channels.ItemCF;
using RecFramework.Channels.TwoTower;
using RecFramework.Vectors.Faiss;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.DependencyInjection;
using Spectre.Console;

namespace RecFramework.Bench;

/// <summary>
/// <c>tune</c>: do the shipped defaults hold on data without time order? Tunes each channel (<see cref="ChannelTuner"/>,
/// inner validation split) on ML-100K with every user's timestamps shuffled and on the time-ordered ML-100K, and prints
/// channel | default recall@20 | tuned recall@20 | ratio | within 3 %? for both. Full mode fails (exit 1) when a
/// default is more than 3 % below its tuned Recall@20 on the shuffled-time data (issue 17's rule: defaults must not
/// depend on time order); the time-ordered table is printed for comparison and does not fail the run. Options: <c>--data PATH</c>, <c>--channels a,b</c>
/// (default itemcf,swing,usercf), <c>--budget N</c> (default 12), <c>--shuffle-seed S</c> (default 1). <c>--quick</c>:
/// a tiny synthetic set, ItemCF only, budget 2, only the mechanics are checked.
/// </summary>
internal sealed class TuneBenchmark : IVerifyingBenchmark
{
    /// <summary>The largest allowed shortfall of a default against its tuned Recall@20.</summary>
    public const double Tolerance = 0.03;

    private bool _quick;

    public string Name => "tune";

    public string Description => "Default vs tuned validation Recall@20 per channel on shuffled-time and time-ordered ML-100K (defaults must be within 3 %).";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        _quick = context.Quick;
        var data = context.Quick
            ? SyntheticGenerator.Generate(new SyntheticOptions { Users = 200, Items = 120, Interactions = 8_000, Clusters = 5, Days = 5, Seed = 3 }, cancellationToken: cancellationToken).Dataset
            : context.Option("--data") is { } path ? DatasetLoader.Load(path)
            : EvalBenchmark.FindMovieLens() is { } movieLens ? DatasetLoader.Load(movieLens)
            : throw new InvalidOperationException("tune: ../shared/datasets/ml-100k not found next to the repository; give --data PATH.");
        var channels = context.Quick ? ["itemcf"] : (context.Option("--channels") ?? "itemcf,swing,usercf").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var budget = context.Quick ? 2 : int.Parse(context.Option("--budget") ?? "12", CultureInfo.InvariantCulture);
        var shuffleSeed = int.Parse(context.Option("--shuffle-seed") ?? "1", CultureInfo.InvariantCulture);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (mode, shuffle) in new[] { ("shuffled", (int?)shuffleSeed), ("time-ordered", null) })
        {
            var result = await ChannelTuner.RunAsync(data, new TuningOptions
            {
                Channels = channels,
                Budget = budget,
                ShuffleTimeSeed = shuffle,
                ShowProgress = !context.Quick,
                MinRungUsers = context.Quick ? 30 : 100,
                ConfigureServices = AddChannels,
            }, cancellationToken).ConfigureAwait(false);
            var table = new Table().Title($"{Markup.Escape(result.Dataset)}, {mode} ({result.Users:N0} validation users, budget {budget})")
                .AddColumn("channel").AddColumn(new TableColumn("default recall@20").RightAligned()).AddColumn(new TableColumn("tuned recall@20").RightAligned())
                .AddColumn(new TableColumn("ratio").RightAligned()).AddColumn("within 3 %?").AddColumn("chosen options");
            foreach (var c in result.Channels)
            {
                table.AddRow(c.Channel, F(c.DefaultRecall), F(c.TunedRecall), F(c.Ratio), c.Ratio >= 1 - Tolerance ? "yes" : "NO", Markup.Escape(c.ChosenText));
                figures[$"{mode}.{c.Channel}.default_recall@20"] = c.DefaultRecall;
                figures[$"{mode}.{c.Channel}.tuned_recall@20"] = c.TunedRecall;
                figures[$"{mode}.{c.Channel}.default_ndcg@20"] = c.DefaultNdcg;
                figures[$"{mode}.{c.Channel}.tuned_ndcg@20"] = c.TunedNdcg;
                figures[$"{mode}.{c.Channel}.ratio"] = c.Ratio;
            }

            AnsiConsole.Write(table);
        }

        return figures;
    }

    public IReadOnlyList<string> Failures(IReadOnlyDictionary<string, double> figures)
    {
        var failures = new List<string>();
        foreach (var (name, ratio) in figures.Where(f => f.Key.EndsWith(".ratio", StringComparison.Ordinal)))
        {
            if (!double.IsFinite(ratio) || ratio > 1 + 1e-12)
            {
                failures.Add($"{name} = {F(ratio)}: the choice must score at least the defaults on validation");
            }
            else if (!_quick && ratio < 1 - Tolerance && name.StartsWith("shuffled.", StringComparison.Ordinal))
            {
                failures.Add($"{name} = {F(ratio)}: the default is more than {Tolerance:P0} below its tuned Recall@20");
            }
        }

        if (figures.Count == 0)
        {
            failures.Add("no channel was tuned");
        }

        return failures;
    }

    private static void AddChannels(IRecBuilder builder) =>
        builder.AddItemCFChannel().AddSwingChannel().AddUserCFChannel().AddFaissVectorIndex().AddTwoTowerChannel().AddMatrixCompletionChannel();

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using RecFramework.Export.Parquet;
using Spectre.Console;

namespace RecFramework.Bench;

/// <summary>
/// <c>export</c>: the Parquet training-data export over a generated event stream (full: 10M events, quick: 200k) that
/// is never held in memory, in time order with up to two hours of lateness over <c>--days</c> days (default 30), for
/// 100k users and 50k profiled items (quick: 10k / 5k). Reports time, rows/s, files, and the process's peak working set
/// and peak GC heap (sampled every 50 ms) with the GC collection counts, to show memory stays bounded as the stream
/// grows. Options: <c>--events N</c>, <c>--row-group-size N</c>, <c>--max-open-days N</c>, <c>--days N</c>.
/// </summary>
internal sealed class ExportBenchmark : IBenchmark
{
    private const long Start = 1_796_083_200; // 2026-12-01T00:00:00Z

    public string Name => "export";

    public string Description => "Parquet training export of 10M generated events by day (time, rows/s, peak working set, GC heap)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        long Number(string option, long quick, long full) => long.Parse(context.Option(option) ?? (context.Quick ? quick : full).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var events = Number("--events", 200_000, 10_000_000);
        var users = (int)(context.Quick ? 10_000 : 100_000);
        var items = (int)(context.Quick ? 5_000 : 50_000);
        var days = (int)Number("--days", 30, 30);
        var options = new TrainingExportOptions
        {
            RowGroupSize = (int)Number("--row-group-size", 100_000, 100_000),
            MaxOpenDays = (int)Number("--max-open-days", 8, 8),
        };
        var userProfiles = new ProfileTable(new FeatureSchema([new FeatureSpec("gender", FeatureKind.Categorical), new FeatureSpec("age", FeatureKind.Continuous)]),
            Enumerable.Range(0, users).Select(u => new Profile(u, [[u % 2 == 0 ? "F" : "M"], [(18 + (u % 50)).ToString(CultureInfo.InvariantCulture)]])));
        var itemProfiles = new ProfileTable(new FeatureSchema([new FeatureSpec("category", FeatureKind.Categorical), new FeatureSpec("tags", FeatureKind.MultiCategorical)]),
            Enumerable.Range(0, items).Select(i => new Profile(i, [[$"c{i % 20}"], [$"t{i % 7}", $"t{i % 11}"]])));

        var output = Path.Combine(Path.GetTempPath(), "rf-bench-export-" + Guid.NewGuid().ToString("N"));
        using var sampler = new MemorySampler();
        var gc = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        try
        {
            var report = await TrainingDataExporter.ExportAsync(Generate(events, users, items, days, cancellationToken), "generated", userProfiles, itemProfiles, output, options,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            sampler.Stop();
            var bytes = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            AnsiConsole.MarkupLine(Markup.Escape($"exported {report.Events:N0} events in {report.Days.Count} days ({report.Days.Sum(d => d.Files.Count)} files, {report.RowGroups} row groups) in {seconds:F1} s"));
            return new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["events"] = report.Events,
                ["days"] = report.Days.Count,
                ["files"] = report.Days.Sum(d => d.Files.Count),
                ["row_groups"] = report.RowGroups,
                ["row_group_size"] = options.RowGroupSize,
                ["max_open_days"] = options.MaxOpenDays,
                ["users"] = report.Users,
                ["items"] = report.Items,
                ["export_s"] = seconds,
                ["rows_per_s"] = report.Events / seconds,
                ["output_mb"] = bytes / 1048576.0,
                ["peak_working_set_mb"] = Math.Max(sampler.PeakWorkingSet, Process.GetCurrentProcess().PeakWorkingSet64) / 1048576.0,
                ["peak_gc_heap_mb"] = sampler.PeakHeap / 1048576.0,
                ["gen0_collections"] = GC.CollectionCount(0) - gc.Gen0,
                ["gen1_collections"] = GC.CollectionCount(1) - gc.Gen1,
                ["gen2_collections"] = GC.CollectionCount(2) - gc.Gen2,
            };
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Events in time order with up to two hours of lateness, popular items skewed (x³), 70% impressions.</summary>
    private static async IAsyncEnumerable<Interaction> Generate(long count, int users, int items, int days, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var random = new Random(17);
        var span = days * 86_400.0;
        for (long i = 0; i < count; i++)
        {
            if (i % 100_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }

            var time = Start + (long)(i * span / count) - random.Next(7_200);
            var draw = random.NextDouble();
            var type = draw < 0.7 ? InteractionType.Impression : draw < 0.95 ? InteractionType.Click : InteractionType.Like;
            var item = (long)(items * Math.Pow(random.NextDouble(), 3));
            yield return new Interaction(random.Next(users), item, type, Math.Max(Start, time));
        }
    }

    /// <summary>Samples the working set and the GC heap every 50 ms.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public MemorySampler() => _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            try
            {
                do
                {
                    PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
                    PeakHeap = Math.Max(PeakHeap, GC.GetTotalMemory(false));
                }
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
            }
        });

        public long PeakWorkingSet { get; private set; }

        public long PeakHeap { get; private set; }

        public void Stop()
        {
            _stop.Cancel();
            _loop.Wait();
        }

        public void Dispose()
        {
            if (!_stop.IsCancellationRequested)
            {
                Stop();
            }

            _stop.Dispose();
        }
    }
}

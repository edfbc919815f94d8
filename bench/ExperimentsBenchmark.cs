using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;
using RecFramework.Experiments;

namespace RecFramework.Bench;

/// <summary>
/// Experiment routing: single-thread assignments per second and managed bytes allocated per assignment, for a
/// two-layer configuration with a 10 % holdout (three hashes per assignment), plus the bucketing function alone.
/// </summary>
internal sealed class ExperimentsBenchmark : IBenchmark
{
    public string Name => "experiments";

    public string Description => "experiment router: assignments/s (single thread), allocations per assignment";

    public Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RecFramework:Experiments:BucketCount"] = "1000",
            ["RecFramework:Experiments:Holdout:Share"] = "0.1",
            ["RecFramework:Experiments:Holdout:Salt"] = "holdout-bench",
            ["RecFramework:Experiments:Layers:0:Name"] = "recall",
            ["RecFramework:Experiments:Layers:0:Salt"] = "recall-bench",
            ["RecFramework:Experiments:Layers:0:Parameters:channels"] = "popular",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "exp-a",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-199",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "control",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "treatment",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Parameters:popular.quota"] = "400",
            ["RecFramework:Experiments:Layers:1:Name"] = "rank",
            ["RecFramework:Experiments:Layers:1:Salt"] = "rank-bench",
            ["RecFramework:Experiments:Layers:1:Parameters:ranker"] = "gbdt",
        }).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddRecExperiments();
        using var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<IExperimentRouter>();

        var count = context.Quick ? 2_000_000 : 20_000_000;
        Run(router, 200_000); // warm-up (tiered JIT)
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var checksum = Run(router, count);
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        // What a served request pays: the assignment plus the log tag and merged parameters.
        var tagCount = count / 4;
        var tagAllocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var tagWatch = Stopwatch.StartNew();
        long tagSum = 0;
        for (var i = 0; i < tagCount; i++)
        {
            var assignment = router.Assign(i);
            tagSum += assignment.Tag.Length + assignment.Parameters.Count;
        }

        tagWatch.Stop();
        var tagAllocated = GC.GetAllocatedBytesForCurrentThread() - tagAllocatedBefore;

        // Compiling a configuration (what a hot reload costs), 1000 buckets x 2 layers.
        var concrete = provider.GetRequiredService<IExperimentRouter>();
        var options = new ExperimentsOptions();
        configuration.GetSection(ExperimentsOptions.Section).Bind(options);
        var reloadWatch = Stopwatch.StartNew();
        const int Reloads = 20;
        for (var i = 0; i < Reloads; i++)
        {
            options.Layers[1].Parameters["ranker"] = "gbdt-" + i;
            concrete.TryReload(options, out _);
        }

        reloadWatch.Stop();

        var prefix = Bucketing.Prefix("recall-bench");
        var hashWatch = Stopwatch.StartNew();
        long hashSum = 0;
        for (var i = 0; i < count; i++)
        {
            hashSum += Bucketing.Bucket(prefix, i, 1000);
        }

        hashWatch.Stop();
        var hashAllocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            hashSum += Bucketing.Bucket(prefix, i, 1000);
        }

        var hashAllocated = GC.GetAllocatedBytesForCurrentThread() - hashAllocatedBefore;
        GC.KeepAlive(checksum + hashSum + tagSum);
        IReadOnlyDictionary<string, double> figures = new Dictionary<string, double>
        {
            ["assignments"] = count,
            ["layers"] = router.Current.Layers.Count,
            ["assignments_per_s"] = count / watch.Elapsed.TotalSeconds,
            ["ns_per_assignment"] = watch.Elapsed.TotalNanoseconds / count,
            ["bytes_allocated_per_assignment"] = (double)allocated / count,
            ["assignments_with_tag_and_parameters_per_s"] = tagCount / tagWatch.Elapsed.TotalSeconds,
            ["bytes_allocated_per_assignment_with_tag_and_parameters"] = (double)tagAllocated / tagCount,
            ["reload_validate_compile_ms"] = reloadWatch.Elapsed.TotalMilliseconds / Reloads,
            ["bucket_hashes_per_s"] = count / hashWatch.Elapsed.TotalSeconds,
            ["bytes_allocated_per_bucket_hash"] = hashAllocated / 100_000.0,
        };
        return Task.FromResult(figures);
    }

    private static long Run(IExperimentRouter router, int count)
    {
        long checksum = 0;
        for (var i = 0; i < count; i++)
        {
            var assignment = router.Assign(i);
            checksum += assignment.Layers[0].Bucket + (assignment.Holdout ? 1 : 0);
        }

        return checksum;
    }
}

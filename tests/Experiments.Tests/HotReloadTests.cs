using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RecFramework.DependencyInjection;

namespace RecFramework.Experiments.Tests;

/// <summary>Reloads through IOptionsMonitor: valid configurations swap atomically, invalid ones are rejected.</summary>
public sealed class HotReloadTests
{
    private static string Config(int k, int treatmentQuota) => $$"""
    { "RecFramework": { "Experiments": { "BucketCount": 100, "Holdout": { "Share": 0.1, "Salt": "h" },
      "Layers": [
        { "Name": "recall", "Salt": "recall", "Parameters": { "k": "{{k}}" },
          "Experiments": [ { "Name": "e", "Buckets": [ "0-49" ], "Variants": [
            { "Name": "c", "Share": 0.5 }, { "Name": "t", "Share": 0.5, "Parameters": { "itemcf.quota": "{{treatmentQuota}}" } } ] } ] },
        { "Name": "rank", "Salt": "rank", "Parameters": { "rank_k": "{{k}}" } } ] } } }
    """;

    [Fact]
    public void SwapsAtomicallyUnderConcurrentAssignment()
    {
        var source = new SwappableConfigurationProvider(Config(10, 110));
        using var services = TestConfigurations.Services(new ConfigurationBuilder().Add(source).Build());
        var router = services.GetRequiredService<IExperimentRouter>();
        var versions = new Dictionary<string, int>();
        versions[router.Current.Version] = 10;
        var stop = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var known = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(versions);
        var workers = Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            var user = w * 1_000_000L;
            while (Volatile.Read(ref stop) == 0)
            {
                var assignment = router.Assign(user++);
                // Every part of one assignment comes from one configuration.
                var k = assignment.Layers[0].Parameters["k"];
                if (assignment.Layers[1].Parameters["rank_k"] != k)
                {
                    failures.Enqueue($"layers disagree for {assignment.Tag}");
                }

                if (assignment.Layers[0].Variant == "t" && assignment.Layers[0].Parameters["itemcf.quota"] != (int.Parse(k, System.Globalization.CultureInfo.InvariantCulture) + 100).ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    failures.Enqueue($"variant parameters from another configuration for {assignment.Tag}");
                }

                seen.TryAdd(assignment.ConfigVersion + "=" + k, 0);
            }
        })).ToArray();

        // Swap at least 60 times, and until the workers have served under every one of the three configurations
        // (bounded), so the check below really ran while configurations changed under the workers' feet.
        for (var i = 1; i <= 60 || (i <= 20_000 && seen.Keys.Select(e => e.Split('=')[0]).Distinct().Count() < 3); i++)
        {
            var k = 10 + (i % 3);
            source.Swap(Config(k, k + 100));
            known.TryAdd(router.Current.Version, k);
            Thread.Sleep(1);
        }

        source.Swap(Config(10, 110));
        Volatile.Write(ref stop, 1);
        Task.WaitAll(workers);
        Assert.Empty(failures);
        Assert.Equal(3, known.Count);
        Assert.Equal(3, seen.Keys.Select(e => e.Split('=')[0]).Distinct().Count());
        foreach (var entry in seen.Keys)
        {
            var parts = entry.Split('=');
            Assert.Equal(known[parts[0]].ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]); // version stamp identifies the parameters
        }

        Assert.Equal("10", router.Assign(1).Layers[0].Parameters["k"]); // the last swap: k = 10
    }

    [Fact]
    public void EveryAssignmentIsLoggedWithTheVersionStamp()
    {
        using var logger = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logger).SetMinimumLevel(LogLevel.Trace));
        services.AddRecFramework(TestConfigurations.Json(Config(10, 110))).AddChannel<FakeItemCFChannel>("itemcf").AddRecExperiments();
        using var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<IExperimentRouter>();
        var version = router.Current.Version;
        for (long user = 0; user < 50; user++)
        {
            router.Assign(user);
        }

        var assigned = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 6003).ToList();
        Assert.Equal(50, assigned.Count);
        for (var user = 0; user < 50; user++)
        {
            Assert.Equal(LogLevel.Trace, assigned[user].Level);
            Assert.Equal(router.Assign(user).Tag, assigned[user].StructuredState!.Single(p => p.Key == "Tag").Value);
            Assert.EndsWith(";v=" + version, assigned[user].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RejectsInvalidReloadLogsAndKeepsServing()
    {
        var source = new SwappableConfigurationProvider(Config(10, 110));
        using var logger = new FakeLoggerProvider();
        using var services = TestConfigurations.Services(new ConfigurationBuilder().Add(source).Build(), logger);
        var router = services.GetRequiredService<IExperimentRouter>();
        var version = router.Current.Version;
        var before = router.Assign(42).Tag;

        source.Swap(Config(10, 110).Replace("\"0-49\"", "\"0-149\"", StringComparison.Ordinal)); // out of range

        Assert.Equal(version, router.Current.Version);
        Assert.Equal(before, router.Assign(42).Tag);
        var error = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("'0-149' is outside the bucket count 100", error.Message, StringComparison.Ordinal);
        Assert.Contains(version, error.Message, StringComparison.Ordinal);

        source.Swap(Config(12, 112));
        Assert.NotEqual(version, router.Current.Version);
        Assert.Equal("12", router.Assign(42).Parameters["k"]);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains(router.Current.Version, StringComparison.Ordinal));
    }

    [Fact]
    public void VersionStampDependsOnlyOnTheEffectiveConfiguration()
    {
        var a = TestConfigurations.Router(Config(10, 110)).Current;
        var reordered = Config(10, 110).Replace("\"0-49\"", "\" 0 - 49 \"", StringComparison.Ordinal);
        var b = TestConfigurations.Router(reordered).Current;
        var c = TestConfigurations.Router(Config(11, 110)).Current;
        Assert.Equal(a.Version, b.Version);
        Assert.NotEqual(a.Version, c.Version);
        Assert.Matches("^[0-9a-f]{16}$", a.Version);
        Assert.Equal(System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(a.CanonicalJson)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture), a.Version);
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Host.Cli;

namespace RecFramework.Host.Tests.Cli;

/// <summary>
/// The <c>experiments</c> verbs on a store file that a running service polls: dry run writes nothing and counts what
/// the change does, the service serves each change, a refused change exits 2 and leaves the store as it was, and the
/// audit verb lists every step.
/// </summary>
public sealed class ExperimentsCommandTests : IDisposable
{
    private const string Config = """
    { "RecFramework": { "Experiments": {
        "BucketCount": 1000,
        "Holdout": { "Share": 0.1, "Salt": "holdout-a" },
        "Layers": [ { "Name": "recall", "Salt": "recall", "Parameters": { "channels": "popular" },
          "Experiments": [ { "Name": "exp-a", "Status": "Running", "Buckets": [ "0-399" ],
            "Variants": [ { "Name": "control", "Share": 0.5 },
                          { "Name": "treatment", "Share": 0.5, "Parameters": { "popular.quota": "400" } } ] } ] } ] } } }
    """;

    private readonly string _dir = Directory.CreateTempSubdirectory("recfw-cli-experiments-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string StorePath => Path.Combine(_dir, "store", "experiments.json");

    private async Task<int> RunAsync(params string[] args) =>
        await CliApp.CreateRootCommand().Parse(["experiments", .. args, "--store", StorePath, "--config", Path.Combine(_dir, "config.json")]).InvokeAsync();

    private JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, name))).RootElement.Clone();

    [Fact]
    public async Task VerbsChangeTheStoreThatTheRunningServiceServes()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.json"), Config);
        var (app, client) = await ServiceAppFactory.StartAsync(
            new ServeSettings(ConfigFile: Path.Combine(_dir, "config.json")),
            new Dictionary<string, string?> { ["RecFramework:ExperimentStore:Path"] = StorePath, ["RecFramework:ExperimentStore:PollMilliseconds"] = "100" });
        await using var _ = app;
        using var __ = client;
        var router = app.Services.GetRequiredService<IExperimentRouter>();
        var before = Enumerable.Range(1, 20_000).Select(u => router.Assign(u).Layers[0].Variant).ToArray();

        // Dry run: nothing written, the impact counted over users 1..20000.
        Assert.Equal(0, await RunAsync("launch", "exp-a", "--variant", "treatment", "--reverse-share", "0.05", "--dry-run", "--users-to", "20000", "--json", Path.Combine(_dir, "dry.json")));
        Assert.False(File.Exists(StorePath));
        var dry = Json("dry.json");
        Assert.True(dry.GetProperty("dryRun").GetBoolean());

        Assert.Equal(0, await RunAsync("launch", "exp-a", "--variant", "treatment", "--reverse-share", "0.05", "--users-to", "20000", "--key", "cli:alice", "--json", Path.Combine(_dir, "launch.json")));
        var launch = Json("launch.json");
        Assert.Equal(1, launch.GetProperty("storeVersion").GetInt64());
        Assert.Equal(dry.GetProperty("impact").GetRawText(), launch.GetProperty("impact").GetRawText());
        await WaitForAsync(router, launch.GetProperty("configVersion").GetString()!);
        var after = Enumerable.Range(1, 20_000).Select(u => router.Assign(u).Layers[0].Variant).ToArray();
        Assert.Equal(dry.GetProperty("impact").GetProperty("changedVariant").GetInt32(), before.Zip(after).Count(p => p.First != p.Second));
        Assert.Contains("reverse", after);
        Assert.DoesNotContain("treatment", after);

        // A refused change: exit code 2, the store untouched.
        var stored = await File.ReadAllBytesAsync(StorePath);
        Assert.Equal(2, await RunAsync("launch", "exp-a", "--variant", "treatment"));
        Assert.Equal(2, await RunAsync("start", "nope"));
        Assert.Equal(2, await RunAsync("close-reverse", "exp-a", "--expected-version", "7"));
        Assert.Equal(stored, await File.ReadAllBytesAsync(StorePath));

        Assert.Equal(0, await RunAsync("close-reverse", "exp-a", "--expected-version", "1"));
        Assert.Equal(0, await RunAsync("rotate-holdout", "--salt", "holdout-b", "--json", Path.Combine(_dir, "rotate.json")));
        await WaitForAsync(router, Json("rotate.json").GetProperty("configVersion").GetString()!);
        Assert.Contains("\"salt\":\"holdout-b\"", router.Current.CanonicalJson, StringComparison.Ordinal);
        Assert.DoesNotContain("reverse", Enumerable.Range(1, 20_000).Select(u => router.Assign(u).Layers[0].Variant));

        Assert.Equal(0, await RunAsync("audit", "--json", Path.Combine(_dir, "audit.json")));
        var audit = Json("audit.json");
        Assert.Equal(3, audit.GetProperty("storeVersion").GetInt64());
        var entries = audit.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(["launch", "close-reverse", "rotate-holdout"], entries.Select(e => e.GetProperty("operation").GetString()));
        Assert.Equal("cli:alice", entries[0].GetProperty("key").GetString());
        Assert.Equal("variant=treatment reverseShare=0.05", entries[0].GetProperty("detail").GetString());
        Assert.Equal("salt=holdout-b", entries[2].GetProperty("detail").GetString());
        await app.StopAsync();
    }

    [Fact]
    public async Task StopAndStartSeedTheStoreFromTheConfigurationAndCountTheGivenUserRange()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.json"), Config);

        Assert.Equal(0, await RunAsync("stop", "exp-a", "--dry-run", "--users-from", "5", "--users-to", "10", "--json", Path.Combine(_dir, "dry.json")));
        Assert.Equal(6, Json("dry.json").GetProperty("impact").GetProperty("usersCounted").GetInt32());
        Assert.Equal(0, await RunAsync("stop", "exp-a", "--expected-version", "0"));
        Assert.Equal(2, await RunAsync("stop", "exp-a"));
        Assert.Equal(0, await RunAsync("start", "exp-a", "--json", Path.Combine(_dir, "start.json")));

        var start = Json("start.json");
        Assert.Equal(2, start.GetProperty("storeVersion").GetInt64());
        // Stopping and starting again gives back the configuration the section started with.
        Assert.Equal(0, await RunAsync("audit", "--json", Path.Combine(_dir, "audit.json")));
        var entries = Json("audit.json").GetProperty("entries");
        Assert.Equal(["stop", "start"], entries.EnumerateArray().Select(e => e.GetProperty("operation").GetString()));
        Assert.Equal(entries[0].GetProperty("configVersionBefore").GetString(), start.GetProperty("configVersion").GetString());
        Assert.StartsWith("cli:", entries[0].GetProperty("key").GetString(), StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(IExperimentRouter router, string version)
    {
        // The service polls every 100 ms; a generous bound for busy machines (the assertion is the version).
        for (var i = 0; i < 600 && router.Current.Version != version; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(version, router.Current.Version);
    }
}

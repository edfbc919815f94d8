using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RecFramework.AspNetCore;
using RecFramework.Channels;
using RecFramework.DependencyInjection;
using RecFramework.Evaluation;
using RecFramework.Experiments;
using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned.Tests;

/// <summary>
/// Through the service (test server): an experiment whose treatment variant sets the parameter <c>fusion</c> =
/// <c>Learned</c> (both variants: <c>channels</c> = <c>popular</c>) serves its users with the learned model read from <c>RecFramework:Fusion:Learned:ModelPath</c>, the
/// control keeps the configured fusion; with a corrupt model file the treatment falls back to the configured fusion,
/// the requests succeed and a warning names the file.
/// </summary>
public sealed class VariantSelectionTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task TreatmentVariantIsServedByTheLearnedFusion()
    {
        using var folder = new TempFolder();
        var model = PopularModel();
        model.Save(folder.Path);
        await using var app = await StartAsync(folder.Path);

        var served = await ServeAsync(app, users: 40);

        Assert.Contains(served, s => s.Treatment);
        Assert.Contains(served, s => !s.Treatment);
        foreach (var s in served)
        {
            Assert.Equal(s.Treatment ? nameof(FusionMode.Learned) : nameof(FusionMode.ReciprocalRank), s.Fusion);
            Assert.Equal(5, s.Items.Length);
        }

        // The learned answer is the model's ranking of what the popular channel proposed.
        var popular = await app.Services.GetRequiredService<Stores.IItemPopularityStore>().GetTopAsync(200);
        var expected = model.Fuse(new FusionInput(0, 0, [new FusionList("popular", 1, popular.ToArray())]), 5).Select(i => i.ItemId);
        Assert.Equal(expected, served.First(s => s.Treatment).Items);
    }

    [Fact]
    public async Task CorruptModelFallsBackToTheConfiguredFusionWithAWarning()
    {
        using var folder = new TempFolder();
        PopularModel().Save(folder.Path);
        await File.WriteAllTextAsync(Path.Combine(folder.Path, LearnedFusionModel.ModelFile), "garbage");
        await using var app = await StartAsync(folder.Path);

        var served = await ServeAsync(app, users: 20);

        Assert.Contains(served, s => s.Treatment);
        Assert.All(served, s => Assert.Equal(nameof(FusionMode.ReciprocalRank), s.Fusion));
        Assert.All(served, s => Assert.Equal(5, s.Items.Length));
        var warnings = app.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToArray();
        Assert.Contains(warnings, m => m.Contains(folder.Path, StringComparison.Ordinal) && m.Contains("not loaded", StringComparison.Ordinal));
    }

    /// <summary>A model over the <c>popular</c> channel alone, trained on seeded examples where the lower-ranked half is relevant.</summary>
    private static LearnedFusionModel PopularModel()
    {
        var random = new Random(5);
        var examples = new List<FusionExample>();
        for (var u = 0; u < 60; u++)
        {
            var items = Enumerable.Range(0, 10).Select(i => new ScoredItem(500 + i, 10 - i)).ToArray();
            var relevant = items.Skip(5).Where(_ => random.NextDouble() < 0.8).Select(i => i.ItemId).ToHashSet();
            examples.Add(new FusionExample(new FusionInput(u, 1, [new FusionList("popular", 1, items)]), relevant));
        }

        return LearnedFusionModel.Train(new FusionTrainingSet(examples, new Dictionary<long, double>()), new LearnedFusionTrainingOptions { Trees = 20, Seed = 3, MinimumExamplesPerLeaf = 5 });
    }

    private static async Task<WebApplication> StartAsync(string modelPath)
    {
        var root = Path.Combine(Path.GetTempPath(), "recfw-fusion-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RecFramework:Artifacts:Root"] = Path.Combine(root, "artifacts"),
            ["RecFramework:Stores:EventsPath"] = Path.Combine(root, "events.db"),
            ["RecFramework:ExposureLog:Path"] = Path.Combine(root, "exposures.jsonl"),
            ["RecFramework:ChannelDefaults:TimeoutMs"] = "20000",
            ["RecFramework:Pipeline:RequestTimeoutMs"] = "60000",
            ["RecFramework:Fusion:Learned:ModelPath"] = modelPath,
            ["RecFramework:Experiments:BucketCount"] = "100",
            ["RecFramework:Experiments:Layers:0:Name"] = "recall",
            ["RecFramework:Experiments:Layers:0:Salt"] = "fusion-test",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "exp-fusion",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-99",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "control",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "treatment",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Parameters:channels"] = "popular",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Parameters:channels"] = "popular",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Parameters:fusion"] = "Learned",
        });
        builder.WebHost.UseTestServer();
        builder.Services.AddFakeLogging();
        builder.Services.AddRecFramework(builder.Configuration).AddLearnedFusion().AddRecFrameworkService();
        var app = builder.Build();
        app.MapRecFramework();
        await app.StartAsync();
        return app;
    }

    private static async Task<List<(bool Treatment, string Fusion, long[] Items)>> ServeAsync(WebApplication app, int users)
    {
        using var client = app.GetTestClient();
        var events = string.Join(",", Enumerable.Range(0, 10).SelectMany(i => Enumerable.Repeat(
            $$"""{"userId":1000000,"itemId":{{500 + i}},"type":"click","timestamp":{{Now}}}""", 10 - i)));
        using var posted = await client.PostAsync(new Uri("/events", UriKind.Relative), new StringContent($$"""{"events":[{{events}}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var router = app.Services.GetRequiredService<IExperimentRouter>();
        var served = new List<(bool, string, long[])>();
        for (var user = 1; user <= users; user++)
        {
            using var answer = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/recommend/{user}?k=5", UriKind.Relative)));
            var treatment = router.Assign(user).Stamp.Layers.Single().Label == "exp-fusion/treatment";
            served.Add((treatment, answer.RootElement.GetProperty("fusion").GetString()!,
                [.. answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetInt64())]));
        }

        return served;
    }
}

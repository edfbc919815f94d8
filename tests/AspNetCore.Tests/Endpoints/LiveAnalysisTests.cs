using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary>
/// <c>GET /experiments/analysis</c> through the test server: a two-variant experiment is served to many users, clicks
/// favour the treatment (seeded), and the answer carries every variant with values and intervals, no SRM flag, a
/// positive lift of the treatment and its decision; the answer is cached; the key is checked; a read past the record
/// limit is flagged.
/// </summary>
public sealed class LiveAnalysisTests
{
    private const string ReadKey = "test-read-key";
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static Dictionary<string, string?> Configuration(Dictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["RecFramework:Experiments:BucketCount"] = "100",
            ["RecFramework:Experiments:Layers:0:Name"] = "ranking",
            ["RecFramework:Experiments:Layers:0:Salt"] = "ranking-live",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "exp-live",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-99",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "control",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "treatment",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:LiveAnalysis:RefreshSeconds"] = "3600",
            ["RecFramework:Service:ReadApiKey"] = ReadKey,
        };
        foreach (var (key, value) in extra ?? [])
        {
            values[key] = value;
        }

        return values;
    }

    /// <summary>Serves users 1..<paramref name="users"/> once each (k = 5) and clicks the first item with probability 0.1 (control) or 0.3 (treatment).</summary>
    private static async Task ServeAndClickAsync(ServiceUnderTest service, int users)
    {
        var seed = string.Join(",", Enumerable.Range(500, 10).Select(i => $$"""{"userId":1000000,"itemId":{{i}},"type":"click","timestamp":{{Now}}}"""));
        Assert.Equal(HttpStatusCode.OK, (await EventEndpointTests.PostAsync(service, $$"""{"events":[{{seed}}]}""")).Status);
        var router = service.App.Services.GetRequiredService<IExperimentRouter>();
        var random = new Random(20261206);
        var clicks = new List<string>();
        for (var user = 1; user <= users; user++)
        {
            using var served = JsonDocument.Parse(await service.Client.GetStringAsync(new Uri($"/recommend/{user}?k=5", UriKind.Relative)));
            var items = served.RootElement.GetProperty("items");
            Assert.True(items.GetArrayLength() > 0, $"user {user} was served nothing");
            var treatment = router.Assign(user).Stamp.Layers.Single().Label == "exp-live/treatment";
            if (random.NextDouble() < (treatment ? 0.3 : 0.1))
            {
                var requestId = served.RootElement.GetProperty("requestId").GetString();
                clicks.Add($$"""{"userId":{{user}},"itemId":{{items[0].GetProperty("itemId").GetInt64()}},"type":"click","timestamp":{{Now}},"requestId":"{{requestId}}"}""");
            }
        }

        foreach (var batch in clicks.Chunk(500))
        {
            Assert.Equal(HttpStatusCode.OK, (await EventEndpointTests.PostAsync(service, $$"""{"events":[{{string.Join(",", batch)}}]}""")).Status);
        }

        service.App.Services.GetRequiredService<ExposureLog>().Flush();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAnalysisAsync(ServiceUnderTest service, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/experiments/analysis");
        request.Headers.Remove("X-Api-Key");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        service.Client.DefaultRequestHeaders.Remove("X-Api-Key");
        using var response = await service.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task AnInterleavingExperimentIsServedLoggedWithItsTeamsAndAnalysedLive()
    {
        await using var service = await ServiceUnderTest.StartAsync(Configuration(new()
        {
            ["RecFramework:Experiments:Layers:0:Experiments:0:Kind"] = "Interleaving",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0",
        }));
        await ServeAndClickAsync(service, 60);

        var (status, body) = await GetAnalysisAsync(service, ReadKey);

        Assert.Equal(HttpStatusCode.OK, status);
        var experiment = Assert.Single(body.GetProperty("report").GetProperty("interleaving").EnumerateArray());
        Assert.Equal(("ranking", "exp-live", 60), (experiment.GetProperty("layer").GetString(), experiment.GetProperty("experiment").GetString(), experiment.GetProperty("users").GetInt32()));
        Assert.Equal(["control", "treatment"], experiment.GetProperty("variants").EnumerateArray().Select(v => v.GetString()));
        var pair = Assert.Single(experiment.GetProperty("pairs").EnumerateArray());
        var perUser = pair.GetProperty("perUser");
        Assert.Equal(60, perUser.GetProperty("wins").GetInt32() + perUser.GetProperty("losses").GetInt32() + perUser.GetProperty("ties").GetInt32());
        var requests = File.ReadLines(service.App.Services.GetRequiredService<ExposureLog>().Path).Where(l => l.StartsWith("{\"type\":\"request\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(60, requests.Count);
        Assert.All(requests, l => Assert.Contains("\"teams\":[\"", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryVariantHasValuesAndIntervalsAndTheFavouredVariantsLiftIsPositive()
    {
        await using var service = await ServiceUnderTest.StartAsync(Configuration());
        await ServeAndClickAsync(service, 2000);

        var (status, body) = await GetAnalysisAsync(service, ReadKey);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("reason").ValueKind);
        Assert.False(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(0, body.GetProperty("skippedLines").GetInt64());
        var report = body.GetProperty("report");
        Assert.Equal(2000, report.GetProperty("users").GetInt32()); // the seeding user was never served
        var layer = Assert.Single(report.GetProperty("layers").EnumerateArray());
        Assert.Equal("ranking", layer.GetProperty("layer").GetString());
        Assert.False(layer.GetProperty("srmFlagged").GetBoolean());
        Assert.True(layer.GetProperty("srmPValue").GetDouble() > 0.001);
        Assert.False(layer.GetProperty("sequentialSrm").GetProperty("flagged").GetBoolean());

        var variants = layer.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("variant").GetString()!);
        Assert.Equal(["exp-live/control", "exp-live/treatment"], variants.Keys.Order());
        foreach (var variant in variants.Values)
        {
            Assert.True(variant.GetProperty("users").GetInt32() > 800);
            Assert.Equal(variant.GetProperty("requests").GetInt32() * 5L, variant.GetProperty("exposures").GetInt64());
            var ctr = variant.GetProperty("ctr");
            Assert.True(ctr.GetProperty("ciLow").GetDouble() < ctr.GetProperty("value").GetDouble());
            Assert.True(ctr.GetProperty("value").GetDouble() < ctr.GetProperty("ciHigh").GetDouble());
        }

        var treatment = variants["exp-live/treatment"];
        var lift = treatment.GetProperty("lifts").GetProperty("clicks_per_user");
        Assert.Equal("exp-live/control", lift.GetProperty("control").GetString());
        Assert.True(lift.GetProperty("absoluteCiLow").GetDouble() > 0, lift.ToString());
        var sequential = treatment.GetProperty("sequential").GetProperty("clicks_per_user");
        Assert.True(sequential.GetProperty("absolute").GetProperty("low").GetDouble() > 0, sequential.ToString());
        Assert.True(sequential.GetProperty("absolute").GetProperty("low").GetDouble() < lift.GetProperty("absoluteCiLow").GetDouble());
        Assert.True(sequential.GetProperty("minimumDetectableEffect").GetDouble() > 0);
        var decision = treatment.GetProperty("decision");
        Assert.Equal("ship", decision.GetProperty("verdict").GetString());
        Assert.Equal("clicks_per_user", decision.GetProperty("primaryMetric").GetString());
        Assert.Equal(JsonValueKind.Null, variants["exp-live/control"].GetProperty("decision").ValueKind);
    }

    [Fact]
    public async Task TheAnswerIsCachedAndAServiceWithoutRequestsAnswersWithAReason()
    {
        await using var service = await ServiceUnderTest.StartAsync(Configuration());
        var analysis = service.App.Services.GetRequiredService<LiveAnalysis>();

        var (status, first) = await GetAnalysisAsync(service, ServiceUnderTest.AdminKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("The exposure log has no request yet.", first.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("report").ValueKind);

        // Within RefreshSeconds (an hour here) the answer is the cached one, whatever was served since.
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync(new Uri("/recommend/1?k=5", UriKind.Relative))).StatusCode);
        var (_, second) = await GetAnalysisAsync(service, ReadKey);
        Assert.Equal(first.GetProperty("computedAt").GetString(), second.GetProperty("computedAt").GetString());
        Assert.Equal(1, analysis.Computations);
    }

    [Fact]
    public async Task TheEndpointNeedsTheReadOrTheAdminKeyAndIsUnmappedWithoutEither()
    {
        await using (var service = await ServiceUnderTest.StartAsync(Configuration()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAnalysisAsync(service, null)).Status);
            var (status, body) = await GetAnalysisAsync(service, "wrong-key");
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("API key", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await GetAnalysisAsync(service, ReadKey)).Status);
            Assert.Equal(HttpStatusCode.OK, (await GetAnalysisAsync(service, ServiceUnderTest.AdminKey)).Status);
        }

        await using var keyless = await ServiceUnderTest.StartAsync(Configuration(new() { ["RecFramework:Service:AdminApiKey"] = "", ["RecFramework:Service:ReadApiKey"] = "" }));
        keyless.Client.DefaultRequestHeaders.Remove("X-Api-Key");
        Assert.Equal(HttpStatusCode.NotFound, (await keyless.Client.GetAsync(new Uri("/experiments/analysis", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task AReadPastMaxRecordsIsFlaggedAndKeepsTheNewestRecords()
    {
        await using var service = await ServiceUnderTest.StartAsync(Configuration(new() { ["RecFramework:LiveAnalysis:MaxRecords"] = "1000" }));
        await ServeAndClickAsync(service, 300); // 300 request lines of 1 + 5 records each

        var (status, body) = await GetAnalysisAsync(service, ReadKey);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("truncated").GetBoolean());
        var records = body.GetProperty("records").GetInt64();
        // The newest whole requests and the clicks on them, up to the limit (clicks on older requests are left out).
        Assert.InRange(records, 600, 1000);
        Assert.Contains(body.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("MaxRecords", StringComparison.Ordinal) && w.GetString()!.Contains("newest", StringComparison.Ordinal));
        var files = body.GetProperty("files").EnumerateArray().Select(f => Path.GetFileName(f.GetString()!)).ToArray();
        Assert.Equal("exposures.jsonl", files[^1]);
        Assert.True(body.GetProperty("report").GetProperty("users").GetInt32() < 300);
    }

    [Fact]
    public async Task RotatedFilesOfTheExposureLogAreReadOldestFirst()
    {
        await using var service = await ServiceUnderTest.StartAsync(Configuration(new()
        {
            ["RecFramework:ExposureLog:MaxFileBytes"] = "40000",
            ["RecFramework:ExposureLog:RetainedFiles"] = "100",
        }));
        await ServeAndClickAsync(service, 300);

        var (status, body) = await GetAnalysisAsync(service, ReadKey);

        Assert.Equal(HttpStatusCode.OK, status);
        var files = body.GetProperty("files").EnumerateArray().Select(f => Path.GetFileName(f.GetString()!)).ToArray();
        Assert.True(files.Length > 2, string.Join(", ", files));
        Assert.Equal("exposures.jsonl", files[^1]);
        Assert.Equal(Enumerable.Range(1, files.Length - 1).Reverse().Select(n => $"exposures.jsonl.{n}"), files[..^1]);
        Assert.False(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(300, body.GetProperty("report").GetProperty("users").GetInt32());
        Assert.Equal(300 * 5L, body.GetProperty("report").GetProperty("exposures").GetInt64());
    }

    [Fact]
    public async Task AfterAStartTheServedVersionIsAnalysedWithItsSampleRatioCheck()
    {
        var store = Path.Combine(Path.GetTempPath(), "recfw-live-versions", Guid.NewGuid().ToString("N"), "experiments.json");
        await using var service = await ServiceUnderTest.StartAsync(Configuration(new()
        {
            ["RecFramework:Experiments:Layers:0:Experiments:0:Status"] = "Stopped",
            ["RecFramework:ExperimentStore:Path"] = store,
        }));
        var router = service.App.Services.GetRequiredService<IExperimentRouter>();
        await ServeAndClickAsync(service, 600); // everyone on the layer default
        var stopped = router.Current.Version;

        using (var start = await service.Client.PostAsync(new Uri("/admin/experiments/exp-live/start", UriKind.Relative), JsonContent.Create(new { })))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        Assert.NotEqual(stopped, router.Current.Version);
        await ServeAndClickAsync(service, 2000);

        var (status, body) = await GetAnalysisAsync(service, ReadKey);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains(
            $"cover the 2000 request(s) served under the served version {router.Current.Version}; 600 request(s) under the other version(s) are left out", StringComparison.Ordinal));
        var report = body.GetProperty("report");
        Assert.Equal(2000, report.GetProperty("users").GetInt32());
        var layer = Assert.Single(report.GetProperty("layers").EnumerateArray());
        Assert.Equal(JsonValueKind.Number, layer.GetProperty("srmPValue").ValueKind);
        Assert.False(layer.GetProperty("srmFlagged").GetBoolean(), layer.GetProperty("srmMessage").ToString());
        Assert.Equal(["exp-live/control", "exp-live/treatment"], layer.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("variant").GetString()).Order());
        try
        {
            Directory.Delete(Path.GetDirectoryName(store)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

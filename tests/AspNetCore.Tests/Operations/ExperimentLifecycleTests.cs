using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;

namespace RecFramework.AspNetCore.Tests.Operations;

/// <summary>
/// The experiment lifecycle through the running service: create, start, launch the winner with a reverse bucket, close
/// it, rotate the holdout; each step checked against the bucketing spec for every user of a range, its dry run
/// against the real change, and the audit trail against the steps.
/// </summary>
public sealed class ExperimentLifecycleTests : IDisposable
{
    private readonly string _store = StorePath();

    public void Dispose() => DeleteStore(_store);

    internal static void DeleteStore(string store)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(store)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private const int Users = 20_000;
    private const string HoldoutSalt = "holdout-2026q4";

    internal static Dictionary<string, string?> Configuration(string storePath) => new()
    {
        ["RecFramework:Experiments:BucketCount"] = "1000",
        ["RecFramework:Experiments:Holdout:Share"] = "0.1",
        ["RecFramework:Experiments:Holdout:Salt"] = HoldoutSalt,
        ["RecFramework:Experiments:Layers:0:Name"] = "recall",
        ["RecFramework:Experiments:Layers:0:Salt"] = "recall",
        ["RecFramework:Experiments:Layers:0:Parameters:ranker"] = "baseline",
        ["RecFramework:ExperimentStore:Path"] = storePath,
        ["RecFramework:ExperimentStore:PollMilliseconds"] = "100",
    };

    internal static object CreateBody(bool dryRun = false) => new
    {
        layer = "recall",
        name = "exp-a",
        buckets = new[] { "0-399" },
        variants = new object[]
        {
            new { name = "control", share = 0.5 },
            new { name = "treatment", share = 0.5, parameters = new Dictionary<string, string> { ["ranker"] = "two-tower" } },
        },
        dryRun,
        userIdFrom = 1,
        userIdTo = Users,
    };

    [Fact]
    public async Task EachStepMovesExactlyTheUsersItShouldAndItsDryRunCountsThem()
    {
        await using var service = await ServiceUnderTest.StartAsync(Configuration(_store));
        var router = service.App.Services.GetRequiredService<IExperimentRouter>();
        var range = new { userIdFrom = 1, userIdTo = Users };

        // Create (stopped: nobody moves), then start.
        var created = await PostAsync(service, "/admin/experiments", CreateBody());
        Assert.Equal(1, created.GetProperty("storeVersion").GetInt64());
        Assert.Equal(0, created.GetProperty("impact").GetProperty("changedVariant").GetInt32());
        await StepAsync(service, router, "/admin/experiments/exp-a/start", range);
        ForEveryUser(router, HoldoutSalt, (bucket, layer) => bucket switch
        {
            < 200 => ("exp-a/control", "baseline"),
            < 400 => ("exp-a/treatment", "two-tower"),
            _ => ("default", "baseline"),
        });

        // Launch the winner with a 5 % reverse bucket: 50 buckets from the control slice (0-49) keep the old default.
        var launch = await StepAsync(service, router, "/admin/experiments/exp-a/launch", new { variant = "treatment", reverseShare = 0.05, userIdFrom = 1, userIdTo = Users });
        ForEveryUser(router, HoldoutSalt, (bucket, _) => bucket < 50 ? ("exp-a/reverse", "baseline") : ("default", "two-tower"));
        Assert.Contains(launch.GetProperty("impact").GetProperty("transitions").EnumerateArray(), t =>
            t.GetProperty("from").GetString() == "exp-a/control" && t.GetProperty("to").GetString() == "exp-a/reverse");

        // Close the reverse bucket: everyone outside the holdout gets the launched variant.
        await StepAsync(service, router, "/admin/experiments/exp-a/close-reverse", range);
        ForEveryUser(router, HoldoutSalt, (_, _) => ("default", "two-tower"));

        // Rotate the holdout: a new salt (derived from the store version), same number of buckets, other members.
        var before = router.Current.HoldoutBuckets;
        var heldBefore = Enumerable.Range(1, Users).Where(u => router.Assign(u).Holdout).ToHashSet();
        var rotated = await StepAsync(service, router, "/admin/holdout/rotate", range);
        Assert.Equal(5, rotated.GetProperty("storeVersion").GetInt64());
        Assert.Equal(before, router.Current.HoldoutBuckets);
        Assert.Contains("\"salt\":\"holdout-2026q4-r5\"", router.Current.CanonicalJson, StringComparison.Ordinal);
        ForEveryUser(router, "holdout-2026q4-r5", (_, _) => ("default", "two-tower"));
        var heldAfter = Enumerable.Range(1, Users).Where(u => router.Assign(u).Holdout).ToHashSet();
        // 10 % of 20000 users: binomial sd ≈ 42, so both sizes are within 5 sd of 2000; about 90 % of members change.
        Assert.InRange(heldBefore.Count, 1790, 2210);
        Assert.InRange(heldAfter.Count, 1790, 2210);
        Assert.InRange(heldAfter.Intersect(heldBefore).Count(), 1, 400);

        // The audit trail lists each step with the key's fingerprint, never the key.
        using var auditResponse = await service.Client.GetAsync(new Uri("/admin/experiments/audit", UriKind.Relative));
        var auditText = await auditResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, auditResponse.StatusCode);
        Assert.DoesNotContain(ServiceUnderTest.AdminKey, auditText, StringComparison.Ordinal);
        var audit = JsonDocument.Parse(auditText).RootElement;
        Assert.Equal(5, audit.GetProperty("storeVersion").GetInt64());
        var entries = audit.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(["create", "start", "launch", "close-reverse", "rotate-holdout"], entries.Select(e => e.GetProperty("operation").GetString()));
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.GetProperty("version").GetInt64()));
        Assert.All(entries, e => Assert.Equal(ExperimentOperationEndpoints.KeyFingerprint(ServiceUnderTest.AdminKey), e.GetProperty("key").GetString()));
        Assert.StartsWith("admin-key:sha256:", entries[0].GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.Equal("Running", entries[2].GetProperty("before").GetProperty("Status").GetString());
        Assert.Equal("Launched", entries[2].GetProperty("after").GetProperty("Status").GetString());
        Assert.Equal(["0-49"], entries[2].GetProperty("after").GetProperty("ReverseBuckets").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("before").ValueKind);
        Assert.Equal(HoldoutSalt, entries[4].GetProperty("before").GetProperty("Salt").GetString());
        Assert.Equal("salt=holdout-2026q4-r5", entries[4].GetProperty("detail").GetString());
        Assert.Equal(router.Current.Version, entries[4].GetProperty("configVersionAfter").GetString());

        // Through the HTTP assignment endpoint too: a user outside the holdout is served the launched variant.
        var user = Enumerable.Range(1, Users).First(u => !router.Assign(u).Holdout);
        using var assignment = JsonDocument.Parse(await service.Client.GetStringAsync(new Uri($"/experiments/assignment/{user}", UriKind.Relative)));
        Assert.Equal("two-tower", assignment.RootElement.GetProperty("parameters").GetProperty("ranker").GetString());
    }

    [Fact]
    public async Task ASampleOfUsersIsCountedInsteadOfTheRange()
    {
        await using var service = await ServiceUnderTest.StartAsync(Configuration(_store));
        await PostAsync(service, "/admin/experiments", CreateBody());
        var router = service.App.Services.GetRequiredService<IExperimentRouter>();
        long[] sample = [.. Enumerable.Range(0, 3000).Select(i => 1_000_000L + (i * 7919L))];
        var expected = sample.Count(u => !router.Assign(u).Holdout && Bucketing.Bucket("recall", u, 1000) < 400);

        var dry = await PostAsync(service, "/admin/experiments/exp-a/start", new { dryRun = true, users = sample });

        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(sample.Length, dry.GetProperty("impact").GetProperty("usersCounted").GetInt32());
        Assert.Equal(expected, dry.GetProperty("impact").GetProperty("changedVariant").GetInt32());
        Assert.Equal(1, dry.GetProperty("storeVersion").GetInt64());
    }

    /// <summary>Runs a dry run, then the change; asserts the dry run wrote nothing and counted what the change moved.</summary>
    private static async Task<JsonElement> StepAsync(ServiceUnderTest service, IExperimentRouter router, string path, object body)
    {
        var storeBefore = await File.ReadAllBytesAsync(StoreFile(service));
        var versionBefore = router.Current.Version;
        var labelsBefore = Labels(router);

        var dryBody = JsonSerializer.SerializeToNode(body)!.AsObject();
        dryBody["dryRun"] = true;
        var dry = await PostAsync(service, path, dryBody);
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(storeBefore, await File.ReadAllBytesAsync(StoreFile(service)));
        Assert.Equal(versionBefore, router.Current.Version);

        var real = await PostAsync(service, path, body);
        Assert.False(real.GetProperty("dryRun").GetBoolean());
        Assert.Equal(real.GetProperty("configVersion").GetString(), router.Current.Version);
        Assert.Equal(dry.GetProperty("configVersion").GetString(), real.GetProperty("configVersion").GetString());

        // What the change really did, counted from the router's assignments before and after.
        var labelsAfter = Labels(router);
        var moved = Enumerable.Range(0, Users).Count(i => labelsBefore[i].Label != labelsAfter[i].Label);
        var reparametrised = Enumerable.Range(0, Users).Count(i => labelsBefore[i].Ranker != labelsAfter[i].Ranker);
        Assert.True(moved > 0, $"{path} moved nobody.");
        Assert.Equal(moved, dry.GetProperty("impact").GetProperty("changedVariant").GetInt32());
        Assert.Equal(reparametrised, dry.GetProperty("impact").GetProperty("changedParameters").GetInt32());
        Assert.Equal(Users, dry.GetProperty("impact").GetProperty("usersCounted").GetInt32());
        Assert.Equal(dry.GetProperty("impact").GetRawText(), real.GetProperty("impact").GetRawText());
        return real;
    }

    private static (string Label, string Ranker)[] Labels(IExperimentRouter router) =>
        Enumerable.Range(1, Users).Select(u =>
        {
            var a = router.Assign(u);
            var layer = a.Layer("recall")!;
            return ((a.Holdout ? "holdout;" : "") + layer.Experiment + "/" + layer.Variant, a.Parameters["ranker"]);
        }).ToArray();

    /// <summary>Asserts every user's recall assignment: holdout users on the baseline, the others as <paramref name="expected"/> says for their bucket.</summary>
    private static void ForEveryUser(IExperimentRouter router, string holdoutSalt, Func<int, LayerAssignment, (string Variant, string Ranker)> expected)
    {
        for (long u = 1; u <= Users; u++)
        {
            var assignment = router.Assign(u);
            var layer = assignment.Layer("recall")!;
            var holdout = Bucketing.Bucket(holdoutSalt, u, 1000) < 100;
            Assert.Equal(holdout, assignment.Holdout);
            var (variant, ranker) = holdout ? ("holdout", "baseline") : expected(Bucketing.Bucket("recall", u, 1000), layer);
            Assert.Equal(variant, layer.Experiment is null ? layer.Variant : layer.Experiment + "/" + layer.Variant);
            Assert.Equal(ranker, assignment.Parameters["ranker"]);
        }
    }

    internal static async Task<JsonElement> PostAsync(ServiceUnderTest service, string path, object body)
    {
        using var response = await service.Client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static string StorePath() => Path.Combine(Path.GetTempPath(), "recfw-expops-tests", Guid.NewGuid().ToString("N"), "experiments.json");

    private static string StoreFile(ServiceUnderTest service) => service.App.Configuration["RecFramework:ExperimentStore:Path"]!;
}

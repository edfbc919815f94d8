using RecFramework.Testing;
using System.Net;
using System.Text.Json;

namespace RecFramework.Host.Tests;

public sealed class AdminEndpointTests
{
    private static string TinyData()
    {
        var dir = Path.Combine(Path.GetTempPath(), "recfw-admin-data", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, "interactions.csv"), ["user_id,item_id,timestamp", "1,1,100", "2,1,101", "2,2,102"]);
        return dir;
    }

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication, HttpClient)> StartAsync(string? key, string? artifactRoot = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Artifacts:Root"] = artifactRoot ?? Path.Combine(Path.GetTempPath(), "recfw-admin-artifacts", Guid.NewGuid().ToString("N")),
            ["RecFramework:Stores:EventsPath"] = Path.Combine(Path.GetTempPath(), "recfw-admin-events", Guid.NewGuid().ToString("N"), "events.db"),
        };
        if (key is not null)
        {
            settings["RecFramework:Service:AdminApiKey"] = key;
        }

        return await ServiceAppFactory.StartAsync(new ServeSettings(TinyData()), settings);
    }

    [Fact]
    public async Task AdminIsDisabledWithoutAConfiguredKey()
    {
        var (app, client) = await StartAsync(key: null);
        await using var _ = app;

        var response = await client.GetAsync(new Uri("/admin/channels", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("s3cret-but-longer")]
    public async Task MissingOrWrongKeyIsUnauthorized(string? given)
    {
        var (app, client) = await StartAsync("s3cret");
        await using var _ = app;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/channels", UriKind.Relative));
        if (given is not null)
        {
            request.Headers.Add("X-Api-Key", given);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("s3cret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RightKeyListsVersionsAndActivatesOne()
    {
        var (app, client) = await StartAsync("s3cret");
        await using var _ = app;
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");

        using var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("/admin/channels", UriKind.Relative)));
        var popular = list.RootElement.EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "popular");
        Assert.Equal("v0001", popular.GetProperty("activeVersion").GetString());

        var activate = await client.PostAsync(new Uri("/admin/channels/popular/activate/v0001", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, activate.StatusCode);

        var missing = await client.PostAsync(new Uri("/admin/channels/popular/activate/v0099", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("'v0099'", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadyReportsLoadedArtifacts()
    {
        var (app, client) = await StartAsync(key: null);
        await using var _ = app;

        var response = await client.GetAsync(new Uri("/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BadVersionsAreRefusedWith422AndTheReasonAndListedAsInvalid()
    {
        var root = Path.Combine(Path.GetTempPath(), "recfw-admin-artifacts", Guid.NewGuid().ToString("N"));
        var (app, client) = await StartAsync("s3cret", root);
        await using var _ = app;
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        var popular = Path.Combine(root, "popular");
        ArtifactDamage.CopyVersion(popular, "v0001", "v0002");
        ArtifactDamage.EditManifest(ArtifactDamage.CopyVersion(popular, "v0001", "v0003"), json => json["files"] = null);
        File.WriteAllText(Path.Combine(ArtifactDamage.CopyVersion(popular, "v0001", "v0004"), "manifest.json"), "{ not json");
        File.AppendAllText(Path.Combine(ArtifactDamage.CopyVersion(popular, "v0001", "v0005"), "popularity.tsv"), "x");
        ArtifactDamage.RandomBytesWithRecomputedChecksum(ArtifactDamage.CopyVersion(popular, "v0002", "v0006"), "popularity.tsv");

        var list = await client.GetAsync(new Uri("/admin/channels", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var doc = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var versions = doc.RootElement.EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "popular").GetProperty("versions").EnumerateArray().ToArray();
        Assert.Equal(6, versions.Length);
        Assert.False(versions[3].GetProperty("valid").GetBoolean());
        Assert.Contains("not valid JSON", versions[3].GetProperty("problem").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri("/admin/channels/popular/activate/v0002", UriKind.Relative), null)).StatusCode);
        foreach (var (version, reason) in new[] { ("v0003", "'files'"), ("v0004", "not valid JSON"), ("v0005", "checksum"), ("v0006", "popularity.tsv") })
        {
            var response = await client.PostAsync(new Uri($"/admin/channels/popular/activate/{version}", UriKind.Relative), null);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{version}: {(int)response.StatusCode} {body}");
            Assert.Contains(reason, body, StringComparison.Ordinal);
        }

        var copied = Path.Combine(popular, "v0007");
        ArtifactDamage.CopyVersion(popular, "v0001", "v0007", keepManifest: true);
        var wrongFolder = await client.PostAsync(new Uri("/admin/channels/popular/activate/v0007", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongFolder.StatusCode);
        Assert.Contains("'v0001'", await wrongFolder.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(copied));
    }
}

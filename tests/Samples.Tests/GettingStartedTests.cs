using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace RecFramework.Samples.Tests;

/// <summary>
/// docs/getting-started.md as a new user follows it: a web project with the four package references it adds, its
/// <c>Program.cs</c> and <c>appsettings.json</c> taken verbatim from the page's first C# and first JSON blocks, built
/// against the packed feed and run. It answers <c>/recommend</c>, its experiment does what the page says (only
/// <c>treatment</c> users get items from <c>swing</c>), and the one <c>MapRecFramework()</c> call gives it the
/// service's other endpoints: health, readiness, events, experiments, the exposure log, and 400 for a bad request.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class GettingStartedTests(PackedFeedFixture feed, ITestOutputHelper output)
{
    [Fact]
    public async Task GettingStartedServiceBuildsFromThePackagesAndRecommends()
    {
        try
        {
            await RunAsync();
        }
        catch
        {
            feed.Keep = true;
            output.WriteLine($"kept {feed.Work} for inspection");
            throw;
        }
    }

    private static readonly string[] Packages = ["RecFramework", "RecFramework.Channels.ItemCF", "RecFramework.Experiments", "RecFramework.AspNetCore"];

    private async Task RunAsync()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "getting-started.md"));
        var blocks = DocBlock.Parse("docs/getting-started.md", page);
        var program = blocks.First(b => b.Language == "csharp").Code;
        var settings = blocks.First(b => b.Language == "json").Code;
        foreach (var package in Packages)
        {
            Assert.Contains($"dotnet add package {package} --version", page, StringComparison.Ordinal);
        }

        // What `dotnet new web` + `dotnet add package` leave behind, with the page's two files.
        var project = Path.Combine(feed.Work, "gs", "MyRecs");
        feed.WriteWebProject(project, "MyRecs", Packages);
        File.WriteAllText(Path.Combine(project, "Program.cs"), program);
        File.WriteAllText(Path.Combine(project, "appsettings.json"), settings);

        var clock = Stopwatch.StartNew();
        await ChildProcess.RunDotnetAsync(project, TimeSpan.FromMinutes(6), feed.BuildArguments());
        output.WriteLine($"restored and built the getting-started service in {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        using var service = LoopbackService.Start(project, Path.Combine(project, "bin", "Release", "net10.0", "MyRecs.dll"));
        await service.WaitForOkAsync("/recommend/1", TimeSpan.FromMinutes(3));
        output.WriteLine($"first recommendation after {clock.Elapsed.TotalSeconds:F1} s");

        var variants = new Dictionary<string, int>();
        for (var user = 1; user <= 200; user++)
        {
            using var json = JsonDocument.Parse(await service.Http.GetStringAsync(new Uri($"/recommend/{user}", UriKind.Relative)));
            var tag = json.RootElement.GetProperty("assignment").GetProperty("tag").GetString()!;
            var variant = tag.StartsWith("holdout", StringComparison.Ordinal) ? "holdout"
                : tag.Contains("add-swing/treatment", StringComparison.Ordinal) ? "treatment"
                : tag.Contains("add-swing/control", StringComparison.Ordinal) ? "control" : "default";
            variants[variant] = variants.GetValueOrDefault(variant) + 1;
            var items = json.RootElement.GetProperty("items").EnumerateArray().ToArray();
            Assert.True(items.Length == 10, $"user {user}: expected DefaultK = 10 items, got {items.Length}");
            var swing = items.Count(i => i.GetProperty("channels").EnumerateArray().Any(c => c.GetString() == "swing"));
            if (variant == "treatment")
            {
                Assert.True(swing > 0, $"user {user} is in treatment ({tag}) but no item came from swing");
            }
            else
            {
                Assert.True(swing == 0, $"user {user} is in {variant} ({tag}) but {swing} items came from swing");
            }
        }

        output.WriteLine(string.Join(", ", variants.Select(v => $"{v.Key}: {v.Value}")));
        Assert.True(variants.GetValueOrDefault("treatment") >= 10 && variants.GetValueOrDefault("control") >= 10 && variants.GetValueOrDefault("default") >= 10,
            $"expected users in every group: {string.Join(", ", variants)}");

        await CheckServiceEndpointsAsync(service, project);
    }

    /// <summary>What <c>MapRecFramework()</c> adds beyond <c>/recommend</c>, on the running service.</summary>
    private async Task CheckServiceEndpointsAsync(LoopbackService service, string project)
    {
        await ExpectAsync(service, HttpMethod.Get, "/health", HttpStatusCode.OK);
        await ExpectAsync(service, HttpMethod.Get, "/ready", HttpStatusCode.OK);

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = await ExpectAsync(service, HttpMethod.Post, "/events", HttpStatusCode.OK,
            $$"""{"events":[{"userId":1,"itemId":7,"type":"click","timestamp":{{now}}}]}""");
        Assert.Equal(1, events.GetProperty("accepted").GetInt32());

        var experiments = await ExpectAsync(service, HttpMethod.Get, "/experiments", HttpStatusCode.OK);
        Assert.Contains(experiments.GetProperty("layers").EnumerateArray(), l => l.ToString().Contains("recall", StringComparison.Ordinal));
        var assignment = await ExpectAsync(service, HttpMethod.Get, "/experiments/assignment/42", HttpStatusCode.OK);
        Assert.Equal(42, assignment.GetProperty("userId").GetInt64());
        Assert.StartsWith("recall", assignment.GetProperty("tag").GetString() ?? "", StringComparison.Ordinal);

        // The exposure log (RecFramework:ExposureLog:Path, default data/exposures.jsonl under the working directory) is
        // flushed every second: the 200 answers above are in it.
        var log = Path.Combine(project, "data", "exposures.jsonl");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15) && !(File.Exists(log) && new FileInfo(log).Length > 0))
        {
            await Task.Delay(250);
        }

        Assert.True(File.Exists(log) && new FileInfo(log).Length > 0, $"no exposure log at {log} after the recommendations:\n{service.Output}");
        output.WriteLine($"exposure log: {File.ReadLines(log).Count()} lines");

        // A bad k is the caller's mistake: 400 with a problem-details body naming k, not 500.
        var problem = await ExpectAsync(service, HttpMethod.Get, "/recommend/1?k=0", HttpStatusCode.BadRequest);
        Assert.Contains("k = 0", problem.GetProperty("detail").GetString() ?? "", StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ExpectAsync(LoopbackService service, HttpMethod method, string path, HttpStatusCode expected, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await service.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}

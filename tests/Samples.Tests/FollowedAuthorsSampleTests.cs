using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace RecFramework.Samples.Tests;

/// <summary>
/// The issue's end-to-end check: pack the src libraries into a fresh local feed, restore and build
/// samples/FollowedAuthors from it (package references only), start it on a loopback port and ask it for
/// recommendations. Users in the experiment's treatment variant get items attributed to the sample's own
/// followed-authors channel; control, default and holdout users never do. Every response also shows the packaged
/// natives at work: the two-tower channel (trained with TorchSharp at start-up, served from the Faiss shim) answers.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class FollowedAuthorsSampleTests(PackedFeedFixture feed, ITestOutputHelper output)
{
    private const string Channel = "followed-authors";
    private const int Users = 400;

    [Fact]
    public async Task PackedSampleServesFollowedAuthorsOnlyToTreatmentUsers()
    {
        try
        {
            await RunSampleAsync();
        }
        catch
        {
            feed.Keep = true;
            output.WriteLine($"kept {feed.Work} for inspection");
            throw;
        }
    }

    private async Task RunSampleAsync()
    {
        var packed = Directory.GetFiles(feed.Feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        output.WriteLine($"packed {packed.Length} packages in {feed.PackTime.TotalSeconds:F1} s: {string.Join(", ", packed)}");
        Assert.Equal(10, packed.Length); // every src package but the Host, Fusion.Learned included

        // The sample as it is in the repository, with its own nuget.config (../../out/packages is the feed).
        var sample = Path.Combine(feed.Work, "samples", "FollowedAuthors");
        CopySample(RepositoryLayout.Sample, sample);
        var clock = Stopwatch.StartNew();
        await ChildProcess.RunDotnetAsync(sample, TimeSpan.FromMinutes(6), feed.BuildArguments());
        output.WriteLine($"restored and built the sample in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(File.Exists(Path.Combine(feed.Packages, "recframework.vectors.faiss", feed.Version, "runtimes", "linux-x64", "native", "librf_faiss.so")),
            "the Faiss package was not restored from the local feed with its native asset");
        var bin = Path.Combine(sample, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(bin, "runtimes", "linux-x64", "native", "librf_faiss.so")), "the Faiss shim did not reach the sample's output");

        clock.Restart();
        using var service = LoopbackService.Start(sample, Path.Combine(bin, "FollowedAuthors.dll"));
        await service.WaitForOkAsync("/ready", TimeSpan.FromMinutes(3));
        output.WriteLine($"sample ready in {clock.Elapsed.TotalSeconds:F1} s");

        var seen = await QueryUsersAsync(service.Http);
        AssertAttribution(seen);
    }

    [Fact]
    public void SampleConsumesPackagesOnly()
    {
        var project = XDocument.Load(Path.Combine(RepositoryLayout.Sample, "FollowedAuthors.csproj"));
        Assert.Empty(project.Descendants("ProjectReference"));
        var references = project.Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!).ToArray();
        Assert.Equal(new[] { "RecFramework", "RecFramework.AspNetCore", "RecFramework.Channels.ItemCF", "RecFramework.Channels.TwoTower", "RecFramework.Experiments", "RecFramework.Vectors.Faiss" }, references);

        // Its default package version is the repository's version, so `dotnet pack` + `dotnet run` work as the README says.
        var defaultVersion = project.Descendants("RecFrameworkVersion").Single().Value.Trim();
        Assert.Equal(RepositoryLayout.VersionPrefix(), defaultVersion);

        // It is not in the solution: it must build from packages, never from projects.
        Assert.DoesNotContain("FollowedAuthors", File.ReadAllText(Path.Combine(RepositoryLayout.Root, "RecFramework.sln")), StringComparison.Ordinal);
    }

    private static void CopySample(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj" or "data")
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task<List<UserResult>> QueryUsersAsync(HttpClient http)
    {
        var results = new List<UserResult>();
        for (var user = 1; user <= Users; user++)
        {
            using var assignment = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/experiments/assignment/{user}", UriKind.Relative)));
            using var recommendation = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/recommend/{user}?k=20", UriKind.Relative)));
            var root = recommendation.RootElement;
            var layer = assignment.RootElement.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("layer").GetString() == "recall");
            Assert.Equal(assignment.RootElement.GetProperty("tag").GetString(), root.GetProperty("assignment").GetProperty("tag").GetString());
            var channels = root.GetProperty("channels").EnumerateArray()
                .ToDictionary(c => c.GetProperty("channel").GetString()!, c => (Status: c.GetProperty("status").GetString()!, Candidates: c.GetProperty("candidates").GetInt32()));
            var attributed = root.GetProperty("items").EnumerateArray()
                .Count(i => i.GetProperty("channels").EnumerateArray().Any(c => c.GetString() == Channel));
            results.Add(new UserResult(
                user,
                assignment.RootElement.GetProperty("holdout").GetBoolean() ? "holdout" : layer.GetProperty("variant").GetString()!,
                root.GetProperty("items").GetArrayLength(),
                channels,
                attributed));
        }

        return results;
    }

    private void AssertAttribution(List<UserResult> results)
    {
        var groups = results.GroupBy(r => r.Variant).ToDictionary(g => g.Key, g => g.ToList());
        output.WriteLine(string.Join(", ", groups.Select(g => $"{g.Key}: {g.Value.Count} users, {g.Value.Sum(r => r.Attributed)} followed-authors items")));
        foreach (var name in new[] { "treatment", "control", "default", "holdout" })
        {
            Assert.True(groups.TryGetValue(name, out var members) && members.Count >= 10, $"expected at least 10 of {Users} users in '{name}', got {groups.GetValueOrDefault(name)?.Count ?? 0}");
        }

        foreach (var r in results)
        {
            Assert.True(r.Items > 0, $"user {r.User} ({r.Variant}) got no items");
            Assert.True(r.Channels.TryGetValue("two-tower", out var twoTower) && twoTower.Status == "Ok" && twoTower.Candidates > 0,
                $"user {r.User}: the two-tower channel (TorchSharp + Faiss from the package) did not answer: {twoTower}");
            if (r.Variant == "treatment")
            {
                Assert.True(r.Channels.TryGetValue(Channel, out var outcome) && outcome.Status == "Ok", $"user {r.User} is in treatment but {Channel} did not run: {outcome}");
                Assert.True(outcome.Candidates == 0 || r.Attributed > 0, $"user {r.User} is in treatment, {Channel} proposed {outcome.Candidates} items, none was recommended");
            }
            else
            {
                Assert.False(r.Channels.ContainsKey(Channel), $"user {r.User} is in '{r.Variant}' but {Channel} ran");
                Assert.Equal(0, r.Attributed);
            }
        }

        var treatment = groups["treatment"];
        var withItems = treatment.Count(r => r.Attributed > 0);
        Assert.True(withItems >= 0.9 * treatment.Count, $"only {withItems} of {treatment.Count} treatment users got {Channel} items");
    }

    private sealed record UserResult(int User, string Variant, int Items, Dictionary<string, (string Status, int Candidates)> Channels, int Attributed);
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
/// <remarks>
/// Each run packs a unique pre-release version and restores into its own packages folder (with the machine's global
/// packages folder as a read-only fallback for third-party packages), so runs never see each other's packages and
/// nothing of ours lands in the global cache.
/// </remarks>
public sealed class FollowedAuthorsSampleTests(ITestOutputHelper output)
{
    private const string Channel = "followed-authors";
    private const int Users = 400;

    [Fact]
    public async Task PackedSampleServesFollowedAuthorsOnlyToTreatmentUsers()
    {
        var library = Path.Combine(RepositoryLayout.Root, "src", "Framework", "bin", RepositoryLayout.Configuration, "net10.0", "RecFramework.dll");
        Assert.True(File.Exists(library), $"{library} is missing: build the solution in {RepositoryLayout.Configuration} first (the packages are packed from the build output).");

        var work = Directory.CreateTempSubdirectory("rf-sample-").FullName;
        var version = $"{RepositoryLayout.VersionPrefix()}-sampletest.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.ProcessId}";
        var feed = Path.Combine(work, "out", "packages");
        var sample = Path.Combine(work, "samples", "FollowedAuthors");
        var packages = Path.Combine(work, "packages");
        var succeeded = false;
        try
        {
            var clock = Stopwatch.StartNew();
            await ChildProcess.RunDotnetAsync(RepositoryLayout.Root, TimeSpan.FromMinutes(3),
                "pack", "RecFramework.Packages.slnf", "-c", RepositoryLayout.Configuration, "--no-build", "-o", feed,
                "--version-suffix", version[(version.IndexOf('-', StringComparison.Ordinal) + 1)..], $"-p:NuspecOutputPath={Path.Combine(work, "nuspec")}", "-nologo");
            var packed = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            output.WriteLine($"packed {packed.Length} packages in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", packed)}");
            Assert.Equal(5, packed.Length);

            // The sample as it is in the repository, with its own nuget.config (../../out/packages is the feed above).
            CopySample(RepositoryLayout.Sample, sample);
            clock.Restart();
            var restoreArguments = new List<string>
            {
                "build", "-c", "Release", "-nologo", "--disable-build-servers", "-m:1",
                $"-p:RecFrameworkVersion={version}", $"-p:RestorePackagesPath={packages}",
            };
            if (GlobalPackagesFolder() is { } global)
            {
                restoreArguments.Add($"-p:RestoreAdditionalProjectFallbackFolders={global}");
            }

            await ChildProcess.RunDotnetAsync(sample, TimeSpan.FromMinutes(6), [.. restoreArguments]);
            output.WriteLine($"restored and built the sample in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(File.Exists(Path.Combine(packages, "recframework.channels.twotower", version, "runtimes", "linux-x64", "native", "librf_faiss.so")),
                "the two-tower package was not restored from the local feed with its native asset");
            var bin = Path.Combine(sample, "bin", "Release", "net10.0");
            Assert.True(File.Exists(Path.Combine(bin, "runtimes", "linux-x64", "native", "librf_faiss.so")), "the Faiss shim did not reach the sample's output");

            clock.Restart();
            var port = FreeLoopbackPort();
            using var service = ChildProcess.StartDotnet(sample, new Dictionary<string, string>
            {
                ["OPENBLAS_NUM_THREADS"] = "1",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            }, Path.Combine(bin, "FollowedAuthors.dll"), "--urls", $"http://127.0.0.1:{port}");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilReadyAsync(http, service, TimeSpan.FromMinutes(3));
            output.WriteLine($"sample ready in {clock.Elapsed.TotalSeconds:F1} s");

            var seen = await QueryUsersAsync(http);
            AssertAttribution(seen);
            succeeded = true;
        }
        finally
        {
            if (succeeded)
            {
                Directory.Delete(work, recursive: true);
            }
            else
            {
                output.WriteLine($"kept {work} for inspection");
            }
        }
    }

    [Fact]
    public void SampleConsumesPackagesOnly()
    {
        var project = XDocument.Load(Path.Combine(RepositoryLayout.Sample, "FollowedAuthors.csproj"));
        Assert.Empty(project.Descendants("ProjectReference"));
        var references = project.Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!).ToArray();
        Assert.Equal(new[] { "RecFramework", "RecFramework.Channels.ItemCF", "RecFramework.Channels.TwoTower", "RecFramework.Experiments", "RecFramework.Stores.Redis" }, references);

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

    private static string? GlobalPackagesFolder()
    {
        var folder = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(folder))
        {
            folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        return Directory.Exists(folder) ? folder : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, ChildProcess service, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            Assert.False(service.HasExited, $"the sample exited before it was ready:\n{service.Output}");
            try
            {
                using var response = await http.GetAsync(new Uri("/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(500);
        }

        Assert.Fail($"the sample was not ready within {timeout.TotalSeconds:F0} s:\n{service.Output}");
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

using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace RecFramework.Samples.Tests;

/// <summary>
/// docs/getting-started.md as a new user follows it: a web project with the three package references it adds, its
/// <c>Program.cs</c> and <c>appsettings.json</c> taken verbatim from the page's first C# and first JSON blocks, built
/// against the packed feed and run. It answers <c>/recommend</c>, and its experiment does what the page says: only
/// <c>treatment</c> users get items from <c>swing</c>.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed partial class GettingStartedTests(PackedFeedFixture feed, ITestOutputHelper output)
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

    private async Task RunAsync()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "getting-started.md"));
        var blocks = CodeBlock().Matches(page).Select(m => (Language: m.Groups[1].Value, Code: m.Groups[2].Value)).ToArray();
        var program = blocks.First(b => b.Language == "csharp").Code;
        var settings = blocks.First(b => b.Language == "json").Code;
        foreach (var package in new[] { "RecFramework", "RecFramework.Channels.ItemCF", "RecFramework.Experiments" })
        {
            Assert.Contains($"dotnet add package {package} --version", page, StringComparison.Ordinal);
        }

        // What `dotnet new web` + `dotnet add package` leave behind, with the page's two files.
        var project = Path.Combine(feed.Work, "gs", "MyRecs");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "MyRecs.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="RecFramework" Version="$(RecFrameworkVersion)" />
                <PackageReference Include="RecFramework.Channels.ItemCF" Version="$(RecFrameworkVersion)" />
                <PackageReference Include="RecFramework.Experiments" Version="$(RecFrameworkVersion)" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="recframework-local" value="{feed.Feed}" />
                <add key="nuget" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="recframework-local"><package pattern="RecFramework" /><package pattern="RecFramework.*" /></packageSource>
                <packageSource key="nuget"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
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
            var tag = json.RootElement.GetProperty("assignment").GetString()!;
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
    }

    [GeneratedRegex(@"```(\w+)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}

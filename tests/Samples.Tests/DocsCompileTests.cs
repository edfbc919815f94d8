using System.Diagnostics;
using Xunit.Abstractions;

namespace RecFramework.Samples.Tests;

/// <summary>
/// Every C# block of README.md and docs/getting-started.md, laid out by <see cref="DocsProject"/>'s convention, built
/// into one web project against the packed packages (every package referenced, the web SDK's implicit usings,
/// warnings as errors). A block that stops compiling fails the build, and the error names the page and line.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class DocsCompileTests(PackedFeedFixture feed, ITestOutputHelper output)
{
    /// <summary>The pages whose blocks must compile.</summary>
    internal static readonly string[] Pages = ["README.md", "docs/getting-started.md"];

    private static readonly string[] Packages =
    [
        "RecFramework", "RecFramework.Channels.ItemCF", "RecFramework.Channels.TwoTower", "RecFramework.Vectors.Faiss",
        "RecFramework.Experiments", "RecFramework.Stores.Redis", "RecFramework.Analysis", "RecFramework.AspNetCore",
    ];

    [Fact]
    public async Task EveryCSharpBlockOfReadmeAndGettingStartedCompilesAgainstThePackages()
    {
        var project = new DocsProject();
        foreach (var page in Pages)
        {
            var blocks = DocBlock.Parse(page, File.ReadAllText(Path.Combine(RepositoryLayout.Root, page)));
            Assert.True(blocks.Any(b => b.Language == "csharp"), $"{page} has no C# block: did the fences change?");
            project.Add(blocks);
        }

        output.WriteLine($"compiling {project.Compiled.Count} blocks into {project.Files.Count} files; " +
            $"not compiled (`csharp {DocBlock.IgnoreMarker}`): {(project.Ignored.Count == 0 ? "none" : string.Join(", ", project.Ignored.Select(b => $"{b.Page}:{b.FirstLine}")))}");
        Assert.Equal(project.Compiled.Count, project.Files.Count); // one file per block: nothing merged or dropped

        var directory = Path.Combine(feed.Work, "docs", "DocBlocks");
        project.WriteTo(directory);
        feed.WriteWebProject(directory, "DocBlocks", Packages);

        var clock = Stopwatch.StartNew();
        try
        {
            await ChildProcess.RunDotnetAsync(directory, TimeSpan.FromMinutes(6), feed.BuildArguments());
        }
        catch
        {
            feed.Keep = true;
            output.WriteLine($"kept {directory} for inspection");
            throw;
        }

        output.WriteLine($"built the doc blocks in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(File.Exists(Path.Combine(directory, "bin", "Release", "net10.0", "DocBlocks.dll")));
    }
}

using System.Text.RegularExpressions;

namespace RecFramework.Experiments.Tests;

/// <summary>The full appsettings example of docs/experiments.md is valid and behaves as the doc says.</summary>
public sealed partial class DocsExampleTests
{
    [Fact]
    public void FullExampleIsValidAndBehavesAsDocumented()
    {
        var json = LoadExample();
        Assert.Empty(TestConfigurations.Validator().Validate(TestConfigurations.Options(json)));
        var router = TestConfigurations.Router(json);
        Assert.Equal(["recall", "rank"], router.Current.Layers);
        var seen = new HashSet<string>();
        for (long user = 0; user < 50_000; user++)
        {
            var assignment = router.Assign(user);
            var recall = assignment.Layers[0];
            var quota = recall.Parameters["itemcf.quota"];
            if (assignment.Holdout)
            {
                Assert.Equal(("holdout", "200"), (recall.Variant, quota));
            }
            else if (recall.Bucket >= 990)
            {
                Assert.Equal(("itemcf-quota-400", "reverse", true, "200"), (recall.Experiment, recall.Variant, recall.ReverseBucket, quota));
                Assert.False(recall.Parameters.ContainsKey("itemcf.weight"));
            }
            else
            {
                Assert.Equal("400", quota);
                Assert.Equal(recall.Bucket switch { < 100 => "control", < 200 => "treatment", _ => "default" }, recall.Variant);
                Assert.Equal(recall.Variant == "treatment" ? "v0003" : null, recall.Parameters.GetValueOrDefault("two-tower.version"));
            }

            seen.Add(recall.Variant);
        }

        Assert.Equal(["control", "default", "holdout", "reverse", "treatment"], seen.Order());
    }

    [Fact]
    public void InterleavingExampleIsValidAndGivesItsUsersEveryVariant()
    {
        var json = LoadExample("## Interleaving experiments");
        Assert.Empty(TestConfigurations.Validator().Validate(TestConfigurations.Options(json)));
        var router = TestConfigurations.Router(json);
        var interleaved = 0;
        for (long user = 0; user < 20_000; user++)
        {
            var recall = router.Assign(user).Layers[0];
            if (recall.Bucket < 100)
            {
                interleaved++;
                Assert.Equal(("recall-candidates", "interleaved"), (recall.Experiment, recall.Variant));
                Assert.Equal(["current", "with-two-tower", "bigger-itemcf"], recall.Teams.Select(t => t.Variant));
                Assert.Equal("400", recall.Teams[2].Parameters["itemcf.quota"]);
                Assert.Equal("itemcf,popular", recall.Teams[2].Parameters["channels"]);
            }
            else
            {
                Assert.Equal("default", recall.Variant);
                Assert.Empty(recall.Teams);
            }
        }

        Assert.InRange(interleaved, 1_700, 2_300);
    }

    private static string LoadExample(string heading = "## Full example")
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RecFramework.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var markdown = File.ReadAllText(Path.Combine(directory.FullName, "docs", "experiments.md"));
        var section = markdown[markdown.IndexOf(heading, StringComparison.Ordinal)..];
        return JsonBlock().Match(section).Groups[1].Value;
    }

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}

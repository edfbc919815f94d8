using System.Text.Json;
using RecFramework.Experiments.Operations;

namespace RecFramework.Experiments.Tests.Operations;

/// <summary>The text of an operation's result and of an audit entry (what the <c>experiments</c> CLI verbs print).</summary>
public sealed class OperationDescriptionTests
{
    private static readonly ExperimentChangeImpact Impact = new(
        20_000, 1_900, 1_850, 0, 0, [new VariantTransition("recall", "exp-a/control", "default", 1_000), new VariantTransition("recall", "exp-a/treatment", "reverse", 900)]);

    [Fact]
    public void AWrittenChangeNamesTheVersionsTheImpactAndEveryTransition()
    {
        var lines = new ExperimentOperationResult("launch", "exp-a", DryRun: false, StoreVersion: 3, ConfigVersion: "9c1b", Impact).Describe();

        Assert.Equal(
            [
                "launch exp-a: written as store version 3, configuration 9c1b",
                "  of 20000 users counted: 1900 change variant, 1850 change parameters, 0 enter and 0 leave the holdout",
                "  recall: exp-a/control -> default: 1000",
                "  recall: exp-a/treatment -> reverse: 900",
            ],
            lines);
    }

    [Fact]
    public void ADryRunSaysNothingWasWritten()
    {
        var lines = new ExperimentOperationResult("rotate-holdout", "holdout", DryRun: true, StoreVersion: 2, ConfigVersion: "ab12", new ExperimentChangeImpact(100, 20, 20, 10, 10, [])).Describe();

        Assert.Equal(2, lines.Count);
        Assert.Equal("rotate-holdout holdout: dry run, nothing written; store stays at version 2, configuration ab12", lines[0]);
        Assert.Equal("  of 100 users counted: 20 change variant, 20 change parameters, 10 enter and 10 leave the holdout", lines[1]);
    }

    [Fact]
    public void AnAuditEntryIsOneLineInUtcWithoutTheDocuments()
    {
        var before = JsonSerializer.SerializeToElement(new { Status = "Running" });
        var entry = new ExperimentAuditEntry(
            2, new DateTimeOffset(2026, 12, 6, 21, 30, 5, TimeSpan.FromHours(1)), "launch", "exp-a", "cli:alice", "variant=treatment reverseShare=0.05", "3f2a", "9c1b", before, null);

        Assert.Equal("v2 2026-12-06 20:30:05Z launch exp-a by cli:alice variant=treatment reverseShare=0.05 (3f2a -> 9c1b)", entry.Describe());
    }
}

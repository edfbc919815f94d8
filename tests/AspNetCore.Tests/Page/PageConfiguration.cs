namespace RecFramework.AspNetCore.Tests.Page;

/// <summary>
/// The configuration of the page tests: a 5 % holdout; layer "ranking" runs "exp-page" (control and treatment, half each)
/// on buckets 0-79 with 80-99 on the layer default; layer "recall" has launched "old-exp" with reverse buckets 0-4.
/// </summary>
internal static class PageConfiguration
{
    public const string ReadKey = "page-read-key";

    public static Dictionary<string, string?> Values(Dictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["RecFramework:Experiments:BucketCount"] = "100",
            ["RecFramework:Experiments:Holdout:Share"] = "0.05",
            ["RecFramework:Experiments:Holdout:Salt"] = "holdout-page",
            ["RecFramework:Experiments:Layers:0:Name"] = "ranking",
            ["RecFramework:Experiments:Layers:0:Salt"] = "ranking-page",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "exp-page",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-79",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "control",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "treatment",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:1:Name"] = "recall",
            ["RecFramework:Experiments:Layers:1:Salt"] = "recall-page",
            ["RecFramework:Experiments:Layers:1:Experiments:0:Name"] = "old-exp",
            ["RecFramework:Experiments:Layers:1:Experiments:0:Status"] = "Launched",
            ["RecFramework:Experiments:Layers:1:Experiments:0:LaunchedVariant"] = "b",
            ["RecFramework:Experiments:Layers:1:Experiments:0:Buckets:0"] = "0-49",
            ["RecFramework:Experiments:Layers:1:Experiments:0:ReverseBuckets:0"] = "0-4",
            ["RecFramework:Experiments:Layers:1:Experiments:0:Variants:0:Name"] = "a",
            ["RecFramework:Experiments:Layers:1:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:1:Experiments:0:Variants:1:Name"] = "b",
            ["RecFramework:Experiments:Layers:1:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:LiveAnalysis:RefreshSeconds"] = "3600",
            ["RecFramework:Service:ReadApiKey"] = ReadKey,
        };
        foreach (var (key, value) in extra ?? [])
        {
            values[key] = value;
        }

        return values;
    }
}

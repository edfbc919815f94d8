using System.Text.Json;

namespace RecFramework.Host.Tests;

public sealed class ExperimentRoutingTests
{
    private static string TinyData()
    {
        var dir = Path.Combine(Path.GetTempPath(), "recfw-routing-data", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var lines = new List<string> { "user_id,item_id,timestamp" };
        for (var item = 1; item <= 10; item++)
        {
            for (var user = 1000; user < 1000 + item; user++)
            {
                lines.Add($"{user},{item},{item * 10 + user}");
            }
        }

        File.WriteAllLines(Path.Combine(dir, "interactions.csv"), lines);
        return dir;
    }

    [Fact]
    public async Task VariantParametersDriveThePipelineAndTheResponseCarriesTheAssignment()
    {
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Stores:EventsPath"] = Path.Combine(Path.GetTempPath(), "recfw-routing-events", Guid.NewGuid().ToString("N"), "e.db"),
            ["RecFramework:Experiments:BucketCount"] = "100",
            ["RecFramework:Experiments:Layers:0:Name"] = "recall",
            ["RecFramework:Experiments:Layers:0:Salt"] = "recall-test",
            ["RecFramework:Experiments:Layers:0:Parameters:k"] = "2",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "k-test",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Status"] = "Running",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-99",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "small",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Parameters:k"] = "1",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "large",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Parameters:k"] = "3",
        };
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(TinyData()), settings);
        await using var _ = app;

        var seen = new Dictionary<string, int>();
        for (var user = 1; user <= 40; user++)
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/recommend/{user}", UriKind.Relative)));
            var layer = json.RootElement.GetProperty("assignment").GetProperty("layers")[0];
            Assert.Equal("recall", layer.GetProperty("layer").GetString());
            Assert.Equal("k-test", layer.GetProperty("experiment").GetString());
            var variant = layer.GetProperty("variant").GetString()!;
            var expected = variant == "small" ? 1 : 3;
            Assert.Equal(expected, json.RootElement.GetProperty("items").GetArrayLength());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("assignment").GetProperty("configVersion").GetString()));
            seen[variant] = seen.GetValueOrDefault(variant) + 1;
        }

        Assert.Equal(2, seen.Count);
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;

namespace RecFramework.Host.Tests;

public sealed class ExperimentEndpointsTests
{
    [Fact]
    public async Task TheServedAppExplainsConfigurationAndOneUsersAssignment()
    {
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Experiments:BucketCount"] = "100",
            ["RecFramework:Experiments:Holdout:Share"] = "0.1",
            ["RecFramework:Experiments:Holdout:Salt"] = "h",
            ["RecFramework:Experiments:Layers:0:Name"] = "recall",
            ["RecFramework:Experiments:Layers:0:Salt"] = "recall",
            ["RecFramework:Experiments:Layers:0:Parameters:channels"] = "popular",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Name"] = "exp-a",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-99",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "control",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "treatment",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["RecFramework:Experiments:Layers:0:Experiments:0:Variants:1:Parameters:popular.quota"] = "400",
        };
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(), settings);
        await using var _ = app;
        var router = app.Services.GetRequiredService<IExperimentRouter>();

        using var configuration = JsonDocument.Parse(await client.GetStringAsync(new Uri("/experiments", UriKind.Relative)));
        Assert.Equal(router.Current.Version, configuration.RootElement.GetProperty("version").GetString());
        Assert.Equal("exp-a", configuration.RootElement.GetProperty("configuration").GetProperty("layers")[0].GetProperty("experiments")[0].GetProperty("name").GetString());

        var user = Enumerable.Range(0, 1000).First(u => router.Assign(u) is { Holdout: false } a && a.Layers[0].Variant == "treatment");
        using var assignment = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/experiments/assignment/{user}", UriKind.Relative)));
        var layer = assignment.RootElement.GetProperty("layers")[0];
        Assert.Equal("treatment", layer.GetProperty("variant").GetString());
        Assert.Equal(Bucketing.Bucket("recall", user, 100), layer.GetProperty("bucket").GetInt32());
        Assert.Equal("400", assignment.RootElement.GetProperty("parameters").GetProperty("popular.quota").GetString());
        Assert.Equal(router.Assign(user).Tag, assignment.RootElement.GetProperty("tag").GetString());
        client.Dispose();
        await app.StopAsync();
    }
}

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
            ["Experiments:BucketCount"] = "100",
            ["Experiments:Holdout:Share"] = "0.1",
            ["Experiments:Holdout:Salt"] = "h",
            ["Experiments:Layers:0:Name"] = "recall",
            ["Experiments:Layers:0:Salt"] = "recall",
            ["Experiments:Layers:0:Parameters:channels"] = "popular",
            ["Experiments:Layers:0:Experiments:0:Name"] = "exp-a",
            ["Experiments:Layers:0:Experiments:0:Buckets:0"] = "0-99",
            ["Experiments:Layers:0:Experiments:0:Variants:0:Name"] = "control",
            ["Experiments:Layers:0:Experiments:0:Variants:0:Share"] = "0.5",
            ["Experiments:Layers:0:Experiments:0:Variants:1:Name"] = "treatment",
            ["Experiments:Layers:0:Experiments:0:Variants:1:Share"] = "0.5",
            ["Experiments:Layers:0:Experiments:0:Variants:1:Parameters:popular.quota"] = "400",
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

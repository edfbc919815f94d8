using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Data;
using RecFramework.Host.Cli;
using RecFramework.Lifecycle;

namespace RecFramework.Host.Tests;

/// <summary>
/// Issue 18: a two-tower model is exported (ONNX user tower, contract, item vectors), imported through the CLI verb
/// into the running service's artifact store, activated through the admin endpoint and serves recommendations; a
/// malformed import exits non-zero with the named reason and publishes nothing.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ImportedTwoTowerServiceTests
{
    [Fact]
    public async Task ImportedVersionIsActivatedThroughAdminAndServesRecommendations()
    {
        var data = SmallCatalog.Write();
        var root = Path.Combine(Path.GetTempPath(), "recfw-import-service", Guid.NewGuid().ToString("N"));
        var settings = SmallCatalog.Settings(root);
        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(data), settings);
        await using (app)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
            var lifecycle = app.Services.GetRequiredService<ChannelLifecycle>();
            Assert.Equal("v0001", lifecycle.ArtifactChannel("two-tower")!.ActiveVersion);

            // A model "trained elsewhere": an id-only tower (not activated), exported in the import format.
            var trained = await lifecycle.BuildAsync("two-tower", DatasetLoader.Load(data), new ChannelBuildSettings
            {
                Seed = 3,
                Parameters = new Dictionary<string, string> { ["ExcludeFeatures"] = "gender,age,region,interests,category,tags,price" },
            });
            var export = Path.Combine(root, "export");
            Assert.True(TwoTowerOnnxExport.Export(trained.Directory, export));

            string[] Args(string contract) =>
            [
                "import", "two-tower", "--onnx", Path.Combine(export, "user_tower.onnx"), "--contract", contract,
                "--vectors", Path.Combine(export, "item_vectors.npy"), "--ids", Path.Combine(export, "item_ids.txt"),
                "--data", data, "--artifacts", settings["RecFramework:Artifacts:Root"]!,
            ];

            // Malformed: a contract naming an input the model lacks is refused by name; nothing is published.
            var bad = Path.Combine(export, "bad-contract.json");
            File.WriteAllText(bad, File.ReadAllText(Path.Combine(export, "contract.json")).Replace("\"user_slot\"", "\"uid\"", StringComparison.Ordinal));
            var error = new StringWriter();
            var previous = Console.Error;
            Console.SetError(error);
            int refused;
            try
            {
                refused = await CliApp.RunAsync(Args(bad));
            }
            finally
            {
                Console.SetError(previous);
            }

            Assert.Equal(2, refused);
            Assert.Contains("missing input: the contract declares 'uid'", error.ToString(), StringComparison.Ordinal);

            Assert.Equal(0, await CliApp.RunAsync(Args(Path.Combine(export, "contract.json"))));
            var latest = lifecycle.Store.List("two-tower")[^1];
            Assert.Equal("onnx-import", latest.Properties[TwoTowerImport.KindProperty]);
            var imported = latest.Version;
            var activate = await client.PostAsync(new Uri($"/admin/channels/two-tower/activate/{imported}", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, activate.StatusCode);
            Assert.Equal(imported, lifecycle.ArtifactChannel("two-tower")!.ActiveVersion);

            var served = 0;
            foreach (var user in new[] { 1, 2, 3, 50, 299 })
            {
                var response = await client.GetAsync(new Uri($"/recommend/{user}?k=20", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var outcome = json.RootElement.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "two-tower");
                Assert.Equal("Ok", outcome.GetProperty("status").GetString());
                Assert.Equal(imported, outcome.GetProperty("version").GetString());
                Assert.True(outcome.GetProperty("candidates").GetInt32() > 0);
                served += json.RootElement.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("channels").EnumerateArray().Any(c => c.GetString() == "two-tower"));
            }

            Assert.True(served > 0, $"{served} items came from the imported two-tower version");
        }
    }
}

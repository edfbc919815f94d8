using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Vectors;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>import two-tower</c>: publishes an ONNX user tower and item vectors trained elsewhere as a new version of a
/// two-tower channel (<see cref="TwoTowerImport"/>); activate it like any version (admin endpoint, experiments).
/// </summary>
internal sealed class ImportCommand : ICliCommand
{
    public Command Create()
    {
        var onnx = new Option<string>("--onnx") { Description = "The ONNX user tower.", Required = true };
        var contract = new Option<string>("--contract") { Description = "The input contract (JSON): inputs, dtypes, shapes, output and dimension.", Required = true };
        var vectors = new Option<string>("--vectors") { Description = "Item vectors: .npy (float32 [n, d], with --ids) or .parquet (item_id, v0 … v{d-1}).", Required = true };
        var ids = new Option<string?>("--ids") { Description = "Item ids of a .npy file, one per line in row order." };
        var data = new Option<string?>("--data") { Description = "The data set: vectors of items outside its catalogue are refused; its user feature schema resolves profile inputs." };
        var channel = new Option<string>("--channel") { Description = "Two-tower channel to publish to.", DefaultValueFactory = _ => "two-tower" };
        var index = new Option<string>("--index") { Description = "Vector index description (Flat, HNSW32, IVF1024,Flat, …).", DefaultValueFactory = _ => "Flat" };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact store root (overrides RecFramework:Artifacts:Root)." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format)." };
        var twoTower = new Command("two-tower", "Import an ONNX user tower and item vectors as a new two-tower version.") { onnx, contract, vectors, ids, data, channel, index, artifacts, config };
        twoTower.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var overrides = new Dictionary<string, string?>();
            if (result.GetValue(artifacts) is { } root)
            {
                overrides["RecFramework:Artifacts:Root"] = root;
            }

            var services = new ServiceCollection();
            services.AddRecFrameworkHost(HostComposition.LoadConfiguration(result.GetValue(config), overrides));
            await using var provider = services.BuildServiceProvider();
            var dataset = result.GetValue(data) is { } path ? DatasetLoader.Load(path) : null;
            var catalogue = dataset?.Interactions.Select(e => e.ItemId).Concat(dataset.Items.All.Select(p => p.Id)).ToHashSet();
            var handle = await TwoTowerImport.ImportAsync(provider.GetRequiredService<IArtifactStore>(), provider.GetRequiredService<IVectorIndexFactory>(), new TwoTowerImportRequest
            {
                OnnxPath = result.GetValue(onnx)!,
                ContractPath = result.GetValue(contract)!,
                VectorsPath = result.GetValue(vectors)!,
                IdsPath = result.GetValue(ids),
                Channel = result.GetValue(channel)!,
                Catalogue = catalogue,
                UserSchema = dataset?.Users.Schema,
                IndexDescription = result.GetValue(index)!,
            }, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"imported {handle.Manifest.Channel}/{handle.Manifest.Version}: {handle.Manifest.Metrics["items"]:N0} items, dimension {handle.Manifest.Metrics["dimension"]:N0}, {handle.Directory}");
            return 0;
        }));
        return new Command("import", "Import models trained elsewhere.") { twoTower };
    }
}

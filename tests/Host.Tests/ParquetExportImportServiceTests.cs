using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Data;
using RecFramework.Export.Parquet;
using RecFramework.Host.Cli;
using RecFramework.Lifecycle;

namespace RecFramework.Host.Tests;

/// <summary>
/// Issue 18, done when: ML-100K is exported to Parquet; a two-tower model with user profile features is trained on the
/// data read back from that export and written as an ONNX user tower, contract and item vectors; the CLI imports it
/// into the running service's store; the admin endpoint activates it and GET /recommend serves it (the response names
/// the imported version). Malformed imports — wrong dimension, missing input, vectors for unknown items — exit 2
/// naming the reason and publish nothing.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ParquetExportImportServiceTests
{
    [Fact]
    public async Task MovieLensExportTrainedElsewhereIsImportedActivatedAndServed()
    {
        var movieLens = MovieLensDirectory();
        var root = Path.Combine(Path.GetTempPath(), "recfw-parquet-import", Guid.NewGuid().ToString("N"));
        var settings = SmallCatalog.Settings(root);
        settings["RecFramework:Channels:two-tower:Options:Epochs"] = "1";
        foreach (var channel in new[] { "itemcf", "swing", "usercf" })
        {
            settings[$"RecFramework:Channels:{channel}:Enabled"] = "false";
        }

        // 1. Export ML-100K to Parquet and read it back, as a trainer elsewhere would.
        var exportDir = Path.Combine(root, "parquet");
        var report = await TrainingDataExporter.ExportAsync(DatasetLoader.Load(movieLens), exportDir);
        var fromParquet = await ExportedDatasetReader.ReadAsync(exportDir);
        Assert.Equal(report.Events, (long)fromParquet.Interactions.Length);
        Assert.Equal(100_000, fromParquet.Interactions.Length);
        Assert.Contains(fromParquet.Users.Schema.Fields, f => f.Name == "occupation" && f.Kind == FeatureKind.Categorical);

        var (app, client) = await ServiceAppFactory.StartAsync(new ServeSettings(movieLens), settings);
        await using (app)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
            var lifecycle = app.Services.GetRequiredService<ChannelLifecycle>();
            var before = lifecycle.ArtifactChannel("two-tower")!.ActiveVersion;

            // 2. Train on the Parquet data (not activated) and export the user tower (ids + profile fields) as ONNX.
            var trained = await lifecycle.BuildAsync("two-tower", fromParquet, new ChannelBuildSettings { Seed = 5 });
            var onnx = Path.Combine(root, "onnx");
            Assert.True(TwoTowerOnnxExport.Export(trained.Directory, onnx));
            var contract = ImportContract.Load(Path.Combine(onnx, TwoTowerOnnxExport.ContractFile));
            Assert.Contains(contract.Inputs, i => i.Source == ImportContractInput.ProfileSource && i.Fields!.Any(f => f.Field == "occupation"));

            string[] Args(string contractPath, string vectors, string ids) =>
            [
                "import", "two-tower", "--onnx", Path.Combine(onnx, TwoTowerOnnxExport.OnnxFile), "--contract", contractPath,
                "--vectors", vectors, "--ids", ids, "--data", movieLens, "--artifacts", settings["RecFramework:Artifacts:Root"]!,
            ];
            var goodContract = Path.Combine(onnx, TwoTowerOnnxExport.ContractFile);
            var goodVectors = Path.Combine(onnx, TwoTowerOnnxExport.VectorsFile);
            var goodIds = Path.Combine(onnx, TwoTowerOnnxExport.ItemIdsFile);
            var (rows, d, vectors) = ReadNpy(goodVectors);
            var itemIds = File.ReadAllLines(goodIds);

            // 3. Malformed imports, each refused by name.
            var missingInput = Path.Combine(onnx, "missing-input.json");
            (contract with { Inputs = [.. contract.Inputs.Select(i => i.Name == "categorical" ? i with { Name = "occupation_code" } : i)] }).Save(missingInput);
            var narrow = Path.Combine(onnx, "narrow.npy");
            WriteNpy(narrow, rows, d - 2, [.. Enumerable.Range(0, rows).SelectMany(r => vectors.Skip(r * d).Take(d - 2))]);
            var unknownVectors = Path.Combine(onnx, "unknown.npy");
            var unknownIds = Path.Combine(onnx, "unknown-ids.txt");
            WriteNpy(unknownVectors, rows + 1, d, [.. vectors, .. vectors.AsSpan(0, d)]);
            File.WriteAllLines(unknownIds, [.. itemIds, "987654"]);
            await AssertRefusedAsync(Args(missingInput, goodVectors, goodIds), "missing input: the contract declares 'occupation_code'");
            await AssertRefusedAsync(Args(goodContract, narrow, goodIds), $"wrong dimension: item vectors in {narrow} have dimension {d - 2}");
            await AssertRefusedAsync(Args(goodContract, unknownVectors, unknownIds), "unknown items: 1 vector(s) for items not in the catalogue (987654)");
            var published = lifecycle.Store.List("two-tower").Count;

            // 4. Import, activate through the admin endpoint, recommend.
            Assert.Equal(0, await CliApp.RunAsync(Args(goodContract, goodVectors, goodIds)));
            var versions = lifecycle.Store.List("two-tower");
            Assert.Equal(published + 1, versions.Count);
            var imported = versions[^1];
            Assert.Equal("onnx-import", imported.Properties[TwoTowerImport.KindProperty]);
            Assert.Equal(before, lifecycle.ArtifactChannel("two-tower")!.ActiveVersion);
            var activate = await client.PostAsync(new Uri($"/admin/channels/two-tower/activate/{imported.Version}", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, activate.StatusCode);
            Assert.Equal(imported.Version, lifecycle.ArtifactChannel("two-tower")!.ActiveVersion);

            var served = 0;
            foreach (var user in new[] { 1, 2, 100, 500, 943 })
            {
                var response = await client.GetAsync(new Uri($"/recommend/{user}?k=20", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var outcome = json.RootElement.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "two-tower");
                Assert.Equal("Ok", outcome.GetProperty("status").GetString());
                Assert.Equal(imported.Version, outcome.GetProperty("version").GetString());
                served += json.RootElement.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("channels").EnumerateArray().Any(c => c.GetString() == "two-tower"));
            }

            Assert.True(served > 0, $"{served} items came from the imported two-tower version");
        }
    }

    private static async Task AssertRefusedAsync(string[] args, string reason)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await CliApp.RunAsync(args);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(2, code);
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A float32 [rows, d] .npy file (format 1.0, little-endian, C order).</summary>
    private static (int Rows, int Dimension, float[] Vectors) ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'<f4'", header, StringComparison.Ordinal);
        var shape = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        var dims = shape[..shape.IndexOf(')', StringComparison.Ordinal)].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var vectors = new float[dims[0] * dims[1]];
        Buffer.BlockCopy(bytes, 10 + headerLength, vectors, 0, vectors.Length * sizeof(float));
        return (dims[0], dims[1], vectors);
    }

    private static void WriteNpy(string path, int rows, int dimension, float[] vectors)
    {
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {dimension}), }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, .. "NUMPY"u8, 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
        var data = new byte[vectors.Length * sizeof(float)];
        Buffer.BlockCopy(vectors, 0, data, 0, data.Length);
        stream.Write(data);
    }

    /// <summary>The shared ML-100K folder (../shared/datasets/ml-100k beside the repository, as in CI).</summary>
    private static string MovieLensDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "datasets", "ml-100k");
            if (File.Exists(Path.Combine(candidate, "u.data")) && File.Exists(Path.Combine(dir.FullName, "RecFramework.sln")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new InvalidOperationException("ML-100K is not in ../shared/datasets/ml-100k beside the repository.");
    }
}

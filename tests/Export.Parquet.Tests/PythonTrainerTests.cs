using System.Diagnostics;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Data;
using RecFramework.Vectors;

namespace RecFramework.Export.Parquet.Tests;

/// <summary>
/// The PyTorch example trains on the Parquet export (read by bench/python/parquet_export_reader.py, no pyarrow) and its
/// output imports as a two-tower version. Needs Debian's python3-torch for /usr/bin/python3: without it the test is
/// reported as skipped, with the reason.
/// </summary>
public sealed class PythonTrainerTests
{
    private const string Python = "/usr/bin/python3";

    [SkippableFact]
    public async Task PyTorchScriptTrainsOnTheParquetExportAndItsTowerImports()
    {
        var (torch, why) = await RunAsync(["-c", "import torch, numpy"], TimeSpan.FromMinutes(3));
        Skip.If(torch != 0, $"{Python} cannot import torch and numpy (install Debian's python3-torch): {why.Trim()}");

        using var temp = new TempFolder();
        var export = Path.Combine(temp.Path, "export");
        var data = DatasetLoader.Load(TempFolder.MovieLensDirectory());
        var report = await TrainingDataExporter.ExportAsync(data, export);
        var output = Path.Combine(temp.Path, "pytorch");
        var script = Path.Combine(RepositoryRoot(), "bench", "python", "train_two_tower_export_onnx.py");
        var (code, log) = await RunAsync([script, "--data", export, "--out", output, "--epochs", "1", "--dim", "16", "--threads", "1"], TimeSpan.FromMinutes(20));
        Assert.True(code == 0, log);

        // Every positive event of the export was read: its users and items are the script's vocabularies.
        var users = File.ReadAllLines(Path.Combine(output, "user_ids.txt")).Select(long.Parse).ToArray();
        var items = File.ReadAllLines(Path.Combine(output, "item_ids.txt")).Select(long.Parse).ToArray();
        Assert.Equal(data.Interactions.Where(e => e.IsPositive).Select(e => e.UserId).Distinct().Order(), users);
        Assert.Equal(data.Interactions.Where(e => e.IsPositive).Select(e => e.ItemId).Distinct().Order(), items);
        Assert.Equal(100_000, report.Events);

        var store = new FileArtifactStore(Path.Combine(temp.Path, "artifacts"));
        var imported = await TwoTowerImport.ImportAsync(store, new ExactVectorIndexFactory(), new TwoTowerImportRequest
        {
            OnnxPath = Path.Combine(output, "user_tower.onnx"),
            ContractPath = Path.Combine(output, "contract.json"),
            VectorsPath = Path.Combine(output, "item_vectors.npy"),
            IdsPath = Path.Combine(output, "item_ids.txt"),
            Catalogue = data.Interactions.Select(e => e.ItemId).ToHashSet(),
        });
        Assert.Equal("onnx-import", imported.Manifest.Properties[TwoTowerImport.KindProperty]);
        Assert.Equal(items.Length, imported.Manifest.Metrics["items"]);
        Assert.Equal(16, imported.Manifest.Metrics["dimension"]);
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] arguments, TimeSpan timeout)
    {
        if (!File.Exists(Python))
        {
            return (-1, $"{Python} does not exist");
        }

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecFramework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (RecFramework.sln) is not above the test binaries.");
    }
}

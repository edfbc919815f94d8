using System.Text.Json;
using RecFramework.Host.Cli;

namespace RecFramework.Host.Tests.Cli;

/// <summary>The matrix-completion channel through the CLI: <c>build matrix-completion</c> and <c>evaluate --channels matrix-completion</c>.</summary>
public sealed class MatrixCompletionCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-cli-mc-" + Guid.NewGuid().ToString("N"));

    public MatrixCompletionCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task BuildPublishesAVersionAndEvaluateScoresIt()
    {
        var data = SmallCatalog.Write();
        var artifacts = Path.Combine(_dir, "artifacts");
        var json = Path.Combine(_dir, "eval.json");

        var built = await CliApp.CreateRootCommand()
            .Parse(["build", "matrix-completion", "--data", data, "--artifacts", artifacts, "--set", "Epochs=2", "--set", "Dimension=8"])
            .InvokeAsync();
        var badParameter = await CliApp.CreateRootCommand()
            .Parse(["build", "matrix-completion", "--data", data, "--artifacts", artifacts, "--set", "Dimension=1"])
            .InvokeAsync();
        var evaluated = await CliApp.CreateRootCommand()
            .Parse(["evaluate", "--data", data, "--channels", "matrix-completion", "--k", "20", "--json", json, "--artifacts", Path.Combine(_dir, "eval-artifacts"),
                "--set", "matrix-completion.Dimension=16", "--set", "matrix-completion.Epochs=10"])
            .InvokeAsync();

        Assert.Equal(0, built);
        Assert.True(File.Exists(Path.Combine(artifacts, "matrix-completion", "v0001", "manifest.json")));
        Assert.NotEqual(0, badParameter);
        Assert.Equal(0, evaluated);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var channels = document.RootElement.GetProperty("channels");
        var mc = channels.GetProperty("matrix-completion");
        Assert.InRange(mc.GetProperty("recall@20").GetDouble(), 0.0, 1.0);
        Assert.True(mc.GetProperty("coverage@20").GetDouble() > 0, "matrix completion recommended no item");
        Assert.True(mc.GetProperty("build_seconds").GetDouble() > 0);
    }
}

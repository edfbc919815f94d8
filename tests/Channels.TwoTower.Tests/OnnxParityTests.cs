using Microsoft.ML.OnnxRuntime;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Channels.TwoTower.Serving;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// A tower trained by RecFramework, written as ONNX by hand and run by ONNX Runtime, gives the TorchSharp tower's
/// vectors within 1e-5 for every user.
/// </summary>
public sealed class OnnxParityTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rf-onnx-parity-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task OnnxTowerWithProfileFeaturesMatchesTorchSharpForEveryUser()
    {
        // Id, categorical (segment) and continuous (age) inputs; one ReLU hidden layer.
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 3;
        await AssertParityAsync(options);
    }

    [Fact]
    public async Task OnnxIdOnlyTowerWithTwoTanhLayersMatchesTorchSharpForEveryUser()
    {
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 3;
        options.HiddenLayers = "32,24";
        options.Activation = Activation.Tanh;
        options.ExcludeFeatures = "segment,age,tags,year";
        await AssertParityAsync(options);
    }

    [Fact]
    public void ExportRefusesATowerItDoesNotCoverNamingThePart()
    {
        var options = EndToEndTests.SmallOptions();
        options.SeNet = true;
        using var tower = new Tower("user", new TowerShape(10, 4, 2, 1, 0, 0), options);
        var ex = Assert.Throws<RecFrameworkException>(() => OnnxTowerWriter.Write(tower, options, 2, 0));
        Assert.Contains("SeNet=true", ex.Message, StringComparison.Ordinal);
    }

    private async Task AssertParityAsync(TwoTowerOptions options)
    {
        var (train, _) = SyntheticData.Create();
        var (builder, store) = EndToEndTests.Create(_root, options);
        var handle = await EndToEndTests.BuildAsync(builder, store, train);
        using var artifact = TwoTowerArtifact.Load(handle.Directory, indexFactory: null, userTowerOnly: true);
        var rows = artifact.UserRows;
        Assert.True(rows.Count > 100);
        var expected = TowerInference.Export(artifact.UserTower!, rows);

        var onnx = OnnxTowerWriter.Write(artifact.UserTower!, artifact.Options, rows.CategoricalFields, rows.ContinuousFields);
        using var session = new InferenceSession(onnx, new SessionOptions { IntraOpNumThreads = 1 });
        var inputs = new List<(string Name, OrtValue Value)> { (OnnxTowerWriter.SlotInput, OrtValue.CreateTensorValueFromMemory(rows.Ids, [rows.Count])) };
        if (rows.CategoricalFields > 0)
        {
            inputs.Add((OnnxTowerWriter.CategoricalInput, OrtValue.CreateTensorValueFromMemory(rows.Categorical, [rows.Count, rows.CategoricalFields])));
        }

        if (rows.ContinuousFields > 0)
        {
            inputs.Add((OnnxTowerWriter.ContinuousInput, OrtValue.CreateTensorValueFromMemory(rows.Continuous, [rows.Count, rows.ContinuousFields])));
        }

        Assert.Equal(inputs.Select(i => i.Name).Order(), session.InputMetadata.Keys.Order());
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [.. inputs.Select(i => i.Name)], [.. inputs.Select(i => i.Value)], [OnnxTowerWriter.Output]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        foreach (var (_, value) in inputs)
        {
            value.Dispose();
        }

        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(rows.Count * options.Dimension, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-5, $"largest difference between TorchSharp and ONNX Runtime user vectors: {worst:E3}");
    }
}

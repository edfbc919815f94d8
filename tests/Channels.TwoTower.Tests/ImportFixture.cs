using RecFramework.Data;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Import;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// A small id-only two-tower model trained once (seeded) and exported in the import format (ONNX user tower,
/// contract, user ids, item vectors .npy and ids), plus the same model with profile features exported as ONNX.
/// </summary>
public sealed class ImportFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "rf-onnx-import-" + Guid.NewGuid().ToString("N"));

    /// <summary>The native version the export came from.</summary>
    public ArtifactHandle Native { get; private set; } = null!;

    /// <summary>Folder with user_tower.onnx, contract.json, user_ids.txt, item_vectors.npy, item_ids.txt.</summary>
    public string Export => Path.Combine(Root, "export");

    /// <summary>An ONNX tower with inputs user_slot, categorical and continuous.</summary>
    public string FeatureOnnx => Path.Combine(FeatureExport, TwoTowerOnnxExport.OnnxFile);

    /// <summary>The export (with a profile contract) of a tower reading segment (categorical) and age (normalised).</summary>
    public string FeatureExport => Path.Combine(Root, "features");

    /// <summary>The native version <see cref="FeatureExport"/> came from.</summary>
    public ArtifactHandle FeatureNative { get; private set; } = null!;

    /// <summary>The export of a tower reading segment and age bucketised (both in the int64 'categorical' input).</summary>
    public string BucketExport => Path.Combine(Root, "buckets");

    /// <summary>The native version <see cref="BucketExport"/> came from.</summary>
    public ArtifactHandle BucketNative { get; private set; } = null!;

    /// <summary>The training data of every model here.</summary>
    public InteractionDataset Train { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (train, _) = SyntheticData.Create();
        Train = train;
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 4;
        options.ExcludeFeatures = "segment,age,tags,year";
        var (builder, store) = EndToEndTests.Create(Path.Combine(Root, "native"), options);
        Native = await EndToEndTests.BuildAsync(builder, store, train);
        Assert.True(TwoTowerOnnxExport.Export(Native.Directory, Export));

        var withFeatures = EndToEndTests.SmallOptions();
        withFeatures.Epochs = 1;
        var (featureBuilder, featureStore) = EndToEndTests.Create(Path.Combine(Root, "native-features"), withFeatures);
        FeatureNative = await EndToEndTests.BuildAsync(featureBuilder, featureStore, train);
        Assert.True(TwoTowerOnnxExport.Export(FeatureNative.Directory, FeatureExport));

        var buckets = EndToEndTests.SmallOptions();
        buckets.Epochs = 1;
        buckets.ContinuousEncoding = ContinuousEncoding.Bucketize;
        buckets.LogBeforeBucketize = true;
        var (bucketBuilder, bucketStore) = EndToEndTests.Create(Path.Combine(Root, "native-buckets"), buckets);
        BucketNative = await EndToEndTests.BuildAsync(bucketBuilder, bucketStore, train);
        Assert.True(TwoTowerOnnxExport.Export(BucketNative.Directory, BucketExport));
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A copy of the export (or of <paramref name="source"/>) in a new folder, for a test to damage.</summary>
    public string CopyOfExport(string? source = null)
    {
        var copy = Path.Combine(Root, "case-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(source ?? Export))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }
}

using Parquet;
using Parquet.Schema;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>Import of an ONNX user tower and item vectors: served as a normal version, and each malformed import refused by name.</summary>
public sealed class TwoTowerImportTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private readonly FileArtifactStore _store = new(Path.Combine(fixture.Root, "store-" + Guid.NewGuid().ToString("N")));

    private TwoTowerImportRequest Request(string folder) => new()
    {
        OnnxPath = Path.Combine(folder, TwoTowerOnnxExport.OnnxFile),
        ContractPath = Path.Combine(folder, TwoTowerOnnxExport.ContractFile),
        VectorsPath = Path.Combine(folder, TwoTowerOnnxExport.VectorsFile),
        IdsPath = Path.Combine(folder, TwoTowerOnnxExport.ItemIdsFile),
    };

    private Task<ArtifactHandle> ImportAsync(TwoTowerImportRequest request) => TwoTowerImport.ImportAsync(_store, new ExactVectorIndexFactory(), request);

    [Fact]
    public async Task ImportedVersionServesTheNativeUserVectorsAndRecommendations()
    {
        var imported = await ImportAsync(Request(fixture.Export));
        Assert.Equal("onnx-import", imported.Manifest.Properties[TwoTowerImport.KindProperty]);
        using var native = new TwoTowerChannel(new ExactVectorIndexFactory());
        await native.ActivateAsync(fixture.Native, CancellationToken.None);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(imported, CancellationToken.None);
        Assert.Equal(imported.Manifest.Version, channel.ActiveVersion);

        var users = File.ReadAllLines(Path.Combine(fixture.Export, "user_ids.txt")).Select(long.Parse).Append(999_999).ToArray();
        foreach (var user in users)
        {
            var expected = native.UserVector(user, null);
            var actual = channel.UserVector(user, null);
            Assert.Equal(expected.Length, actual.Length);
            Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1e-5, $"user {user}");
        }

        var result = await channel.RecallAsync(new RecallRequest { UserId = users[0], K = 10, Exclude = new HashSet<long> { 1 } }, CancellationToken.None);
        Assert.Equal(10, result.Items.Count);
        Assert.Equal(imported.Manifest.Version, result.Version);
        Assert.DoesNotContain(result.Items, i => i.ItemId == 1);
        var nativeResult = await native.RecallAsync(new RecallRequest { UserId = users[0], K = 10, Exclude = new HashSet<long> { 1 } }, CancellationToken.None);
        Assert.Equal(nativeResult.Items.Select(i => i.ItemId), result.Items.Select(i => i.ItemId));

        // Hot swap back to the native version on the same channel.
        await channel.ActivateAsync(fixture.Native, CancellationToken.None);
        Assert.Equal(fixture.Native.Manifest.Version, channel.ActiveVersion);
    }

    [Fact]
    public async Task ParquetItemVectorsImportLikeTheNpyOnes()
    {
        var folder = fixture.CopyOfExport();
        var (ids, d, vectors) = ReadExport(folder);
        var path = Path.Combine(folder, "items.parquet");
        await WriteParquetAsync(path, ids, d, vectors);
        var imported = await ImportAsync(Request(folder) with { VectorsPath = path, IdsPath = null });
        Assert.Equal(ids.Length, imported.Manifest.Metrics["items"]);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(imported, CancellationToken.None);
        var result = await channel.RecallAsync(new RecallRequest { UserId = 3, K = 5 }, CancellationToken.None);
        Assert.Equal(5, result.Items.Count);
    }

    [Fact]
    public async Task RefusesItemVectorsOfAnotherDimension()
    {
        var folder = fixture.CopyOfExport();
        var (ids, d, vectors) = ReadExport(folder);
        var cut = Enumerable.Range(0, ids.Length).SelectMany(r => vectors.Skip(r * d).Take(d - 4)).ToArray();
        ItemVectorFiles.WriteNpy(Path.Combine(folder, TwoTowerOnnxExport.VectorsFile), ids.Length, d - 4, cut);
        await AssertRefusedAsync(Request(folder), $"wrong dimension: item vectors in {Path.Combine(folder, TwoTowerOnnxExport.VectorsFile)} have dimension {d - 4}; the model's user vectors (contract 'dimension') have {d}");
    }

    [Fact]
    public async Task RefusesAContractInputTheModelLacks()
    {
        var folder = fixture.CopyOfExport();
        EditContract(folder, c => c with { Inputs = [c.Inputs[0] with { Name = "user_id" }] });
        await AssertRefusedAsync(Request(folder), "missing input: the contract declares 'user_id'");
    }

    [Fact]
    public async Task RefusesAModelInputTheContractLacks()
    {
        var folder = fixture.CopyOfExport();
        File.Copy(fixture.FeatureOnnx, Path.Combine(folder, TwoTowerOnnxExport.OnnxFile), overwrite: true);
        await AssertRefusedAsync(Request(folder), "extra input:");
        await AssertRefusedAsync(Request(folder), "'categorical'");
    }

    [Fact]
    public async Task RefusesAnInputOfAnotherDtype()
    {
        var folder = fixture.CopyOfExport();
        File.Copy(fixture.FeatureOnnx, Path.Combine(folder, TwoTowerOnnxExport.OnnxFile), overwrite: true);
        EditContract(folder, c => c with { Inputs = [c.Inputs[0], c.Inputs[0] with { Name = "continuous", Vocabulary = null }] });
        await AssertRefusedAsync(Request(folder), "wrong dtype: input 'continuous' is Float in the model; the contract declares int64");
    }

    [Fact]
    public async Task RefusesAContractDimensionThatIsNotTheModelOutput()
    {
        var folder = fixture.CopyOfExport();
        EditContract(folder, c => c with { Dimension = 8 });
        await AssertRefusedAsync(Request(folder), "wrong dimension: output 'user_vector' has dimension 16; the contract declares 8");
    }

    [Fact]
    public async Task RefusesVectorsOfItemsOutsideTheCatalogue()
    {
        var (ids, _, _) = ReadExport(fixture.Export);
        var catalogue = ids.Where(id => id != ids[2]).ToHashSet();
        await AssertRefusedAsync(Request(fixture.Export) with { Catalogue = catalogue }, $"unknown items: 1 vector(s) for items not in the catalogue ({ids[2]})");
    }

    [Fact]
    public async Task RefusesNaNVectors()
    {
        var folder = fixture.CopyOfExport();
        var (ids, d, vectors) = ReadExport(folder);
        vectors[(3 * d) + 1] = float.NaN;
        ItemVectorFiles.WriteNpy(Path.Combine(folder, TwoTowerOnnxExport.VectorsFile), ids.Length, d, vectors);
        await AssertRefusedAsync(Request(folder), $"NaN or infinite vector: item {ids[3]} (row 3) holds NaN at component 1");
    }

    [Fact]
    public async Task RefusesAnIdsFileOfAnotherLength()
    {
        var folder = fixture.CopyOfExport();
        var idsPath = Path.Combine(folder, TwoTowerOnnxExport.ItemIdsFile);
        File.WriteAllLines(idsPath, File.ReadAllLines(idsPath).Skip(1));
        await AssertRefusedAsync(Request(folder), "ids count:");
    }

    [Fact]
    public async Task RefusesAFileThatIsNotAnOnnxModel()
    {
        var folder = fixture.CopyOfExport();
        File.WriteAllText(Path.Combine(folder, TwoTowerOnnxExport.OnnxFile), "not a model");
        await AssertRefusedAsync(Request(folder), "does not load");
    }

    [Fact]
    public async Task RefusesAContractSourceItDoesNotKnow()
    {
        var folder = fixture.CopyOfExport();
        EditContract(folder, c => c with { Inputs = [c.Inputs[0] with { Source = "profile:age" }] });
        await AssertRefusedAsync(Request(folder), "source 'profile:age' is not supported");
    }

    private async Task AssertRefusedAsync(TwoTowerImportRequest request, string reason)
    {
        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => ImportAsync(request));
        Assert.Equal(RecError.MalformedInput, ex.Error);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_store.List(TwoTowerChannel.ChannelName));
    }

    private static (long[] Ids, int Dimension, float[] Vectors) ReadExport(string folder)
    {
        var (rows, d, vectors) = ItemVectorFiles.ReadNpy(Path.Combine(folder, TwoTowerOnnxExport.VectorsFile));
        var ids = ImportedUserTower.ReadIds(Path.Combine(folder, TwoTowerOnnxExport.ItemIdsFile));
        Assert.Equal(rows, ids.Length);
        return (ids, d, vectors);
    }

    private static void EditContract(string folder, Func<ImportContract, ImportContract> edit)
    {
        var path = Path.Combine(folder, TwoTowerOnnxExport.ContractFile);
        edit(ImportContract.Load(path)).Save(path);
    }

    private static async Task WriteParquetAsync(string path, long[] ids, int d, float[] vectors)
    {
        var idField = new DataField<long>("item_id");
        var fields = Enumerable.Range(0, d).Select(c => new DataField<float>($"v{c}")).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema([idField, .. fields]), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(idField, ids.AsMemory());
        for (var c = 0; c < d; c++)
        {
            var column = Enumerable.Range(0, ids.Length).Select(r => vectors[(r * d) + c]).ToArray();
            await group.WriteAsync<float>(fields[c], column.AsMemory());
        }
    }
}

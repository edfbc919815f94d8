using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// Import of towers that read user profile features through the contract's <c>profile</c> inputs: served from the
/// request's profile exactly as the native tower (1e-5), and contracts whose fields do not fit refused by name.
/// </summary>
public sealed class ProfileContractImportTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private readonly FileArtifactStore _store = new(Path.Combine(fixture.Root, "store-" + Guid.NewGuid().ToString("N")));

    private TwoTowerImportRequest Request(string folder) => new()
    {
        OnnxPath = Path.Combine(folder, TwoTowerOnnxExport.OnnxFile),
        ContractPath = Path.Combine(folder, TwoTowerOnnxExport.ContractFile),
        VectorsPath = Path.Combine(folder, TwoTowerOnnxExport.VectorsFile),
        IdsPath = Path.Combine(folder, TwoTowerOnnxExport.ItemIdsFile),
        UserSchema = SyntheticData.UserSchema,
    };

    [Fact]
    public void ExportedContractDeclaresTheProfileFieldsWithTheirEncodings()
    {
        var contract = ImportContract.Load(Path.Combine(fixture.FeatureExport, TwoTowerOnnxExport.ContractFile));
        Assert.Equal(["user_slot", "categorical", "continuous"], contract.Inputs.Select(i => i.Name));
        var categorical = contract.Inputs[1];
        Assert.Equal(("profile", "int64"), (categorical.Source, categorical.Dtype));
        Assert.Equal([-1L, 1L], categorical.Shape);
        Assert.Equal("segment", Assert.Single(categorical.Fields!).Field);
        Assert.NotEmpty(categorical.Fields![0].Vocabulary!);
        var continuous = contract.Inputs[2];
        Assert.Equal(("profile", "float32"), (continuous.Source, continuous.Dtype));
        Assert.Equal("age", Assert.Single(continuous.Fields!).Field);
        Assert.True(continuous.Fields![0].Std > 0);

        var buckets = ImportContract.Load(Path.Combine(fixture.BucketExport, TwoTowerOnnxExport.ContractFile));
        var fields = Assert.Single(buckets.Inputs, i => i.Name == "categorical").Fields!;
        Assert.Equal(["segment", "age"], fields.Select(f => f.Field));
        Assert.NotEmpty(fields[1].Boundaries!);
        Assert.True(fields[1].Log);
        Assert.Equal(fields[0].Vocabulary!.Count + 1, fields[1].Offset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImportedProfileTowerServesTheNativeVectorsFromTheRequestProfile(bool bucketised)
    {
        var (export, nativeHandle) = bucketised ? (fixture.BucketExport, fixture.BucketNative) : (fixture.FeatureExport, fixture.FeatureNative);
        var imported = await TwoTowerImport.ImportAsync(_store, new ExactVectorIndexFactory(), Request(export));
        using var native = new TwoTowerChannel(new ExactVectorIndexFactory());
        await native.ActivateAsync(nativeHandle, CancellationToken.None);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(imported, CancellationToken.None);

        var profiles = fixture.Train.Users.All.ToList();
        Assert.True(profiles.Count > 100);

        // A user unseen in training, served through the profile alone; and one with a value outside the vocabulary.
        profiles.Add(profiles[0] with { Id = 999_999 });
        profiles.Add(new Profile(999_998, [["no-such-segment"], ["1e9"]]));
        var worst = 0.0;
        var differs = 0;
        foreach (var profile in profiles)
        {
            var expected = native.UserVector(profile.Id, profile);
            var actual = channel.UserVector(profile.Id, profile);
            Assert.Equal(expected.Length, actual.Length);
            worst = Math.Max(worst, expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max());
            var withoutProfile = channel.UserVector(profile.Id, null);
            differs += withoutProfile.Zip(actual, (a, b) => Math.Abs(a - b)).Max() > 1e-4 ? 1 : 0;
        }

        Assert.True(worst <= 1e-5, $"largest difference between the native and the imported tower: {worst:E3}");
        Assert.True(differs > profiles.Count / 2, $"the profile changed the imported vector of only {differs} of {profiles.Count} users");
    }

    [Fact]
    public async Task RefusesAProfileFieldTheSchemaLacks()
    {
        var folder = fixture.CopyOfExport(fixture.FeatureExport);
        EditContract(folder, 1, f => f with { Field = "income" });
        await AssertRefusedAsync(Request(folder), "unknown feature: input 'categorical' reads profile field 'income', which the user feature schema lacks (fields: segment, age)");
    }

    [Fact]
    public async Task RefusesAFieldReadAsAnotherKind()
    {
        var folder = fixture.CopyOfExport(fixture.FeatureExport);
        EditContract(folder, 2, f => f with { Field = "segment" });
        await AssertRefusedAsync(Request(folder), "wrong kind: input 'continuous' reads profile field 'segment' as a float32 value, but the field is Categorical");
    }

    [Fact]
    public async Task RefusesMoreFieldsThanTheModelInputHas()
    {
        var folder = fixture.CopyOfExport(fixture.FeatureExport);
        var path = Path.Combine(folder, TwoTowerOnnxExport.ContractFile);
        var contract = ImportContract.Load(path);
        var continuous = contract.Inputs[2];
        contract = contract with { Inputs = [contract.Inputs[0], contract.Inputs[1], continuous with { Shape = [-1, 2], Fields = [continuous.Fields![0], continuous.Fields[0]] }] };
        contract.Save(path);
        await AssertRefusedAsync(Request(folder), "wrong shape: input 'continuous' is [-1, 1] in the model; the contract declares [-1, 2]");
    }

    [Fact]
    public async Task RefusesAProfileInputOfAnotherDtype()
    {
        var folder = fixture.CopyOfExport(fixture.FeatureExport);
        var path = Path.Combine(folder, TwoTowerOnnxExport.ContractFile);
        var contract = ImportContract.Load(path);
        var age = contract.Inputs[2].Fields![0];
        contract = contract with { Inputs = [contract.Inputs[0], contract.Inputs[1], contract.Inputs[2] with { Dtype = "int64", Fields = [age with { Boundaries = [20, 40] }] }] };
        contract.Save(path);
        await AssertRefusedAsync(Request(folder), "wrong dtype: input 'continuous' is Float in the model; the contract declares int64");
    }

    [Fact]
    public async Task RefusesAProfileFieldWithoutIndexWhenNoSchemaIsGiven()
    {
        var folder = fixture.CopyOfExport(fixture.FeatureExport);
        EditContract(folder, 1, f => f with { Index = null });
        await AssertRefusedAsync(Request(folder) with { UserSchema = null }, "missing schema: input 'categorical' reads profile field 'segment', which has no 'index'");
    }

    [Fact]
    public void RefusesAnInt64FieldWithoutAnEncoding()
    {
        var folder = fixture.CopyOfExport(fixture.FeatureExport);
        EditContract(folder, 1, f => f with { Vocabulary = null });
        var ex = Assert.Throws<RecFrameworkException>(() => ImportContract.Load(Path.Combine(folder, TwoTowerOnnxExport.ContractFile)));
        Assert.Contains("input 'categorical', field 'segment': an int64 field needs exactly one of 'vocabulary' (categorical) or 'boundaries'", ex.Message, StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(TwoTowerImportRequest request, string reason)
    {
        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => TwoTowerImport.ImportAsync(_store, new ExactVectorIndexFactory(), request));
        Assert.Equal(RecError.MalformedInput, ex.Error);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_store.List(TwoTowerChannel.ChannelName));
    }

    private static void EditContract(string folder, int input, Func<ImportContractField, ImportContractField> edit)
    {
        var path = Path.Combine(folder, TwoTowerOnnxExport.ContractFile);
        var contract = ImportContract.Load(path);
        var inputs = contract.Inputs.ToArray();
        inputs[input] = inputs[input] with { Fields = [.. inputs[input].Fields!.Select(edit)] };
        (contract with { Inputs = inputs }).Save(path);
    }
}

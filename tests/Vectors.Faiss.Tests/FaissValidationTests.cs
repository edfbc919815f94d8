using RecFramework.Vectors.Faiss;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss.Tests;

public sealed class FaissValidationTests : IDisposable
{
    private const int D = 8;
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-faiss-bad-").FullName;
    private readonly FaissVectorIndexFactory _factory = new();
    private readonly float[] _vectors = TestVectors.Clustered(50, D, 4, seed: 1);
    private readonly long[] _ids = TestVectors.Ids(50);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void QueryOfWrongDimensionIsRejected()
    {
        using var index = _factory.BuildFaiss("Flat", D, _vectors, _ids);
        var e = Assert.Throws<FaissException>(() => index.Search(new float[D + 1], 5));
        Assert.Equal(FaissErrorCode.DimensionMismatch, e.Code);
        Assert.Contains("9 floats", e.Message);
    }

    [Fact]
    public void VectorsOfWrongDimensionAreRejected()
    {
        using var index = FaissIndex.Create("Flat", D);
        var e = Assert.Throws<FaissException>(() => index.Add(new float[(2 * D) + 3], [1, 2]));
        Assert.Equal(FaissErrorCode.DimensionMismatch, e.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NonPositiveKIsRejected(int k)
    {
        using var index = _factory.BuildFaiss("Flat", D, _vectors, _ids);
        var e = Assert.Throws<FaissException>(() => index.Search(_vectors.AsSpan(0, D), k));
        Assert.Equal(FaissErrorCode.InvalidK, e.Code);
        Assert.Contains($"got {k}", e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteQueryIsRejected(float bad)
    {
        using var index = _factory.BuildFaiss("Flat", D, _vectors, _ids);
        var query = _vectors.AsSpan(0, D).ToArray();
        query[3] = bad;
        var e = Assert.Throws<FaissException>(() => index.Search(query, 5));
        Assert.Equal(FaissErrorCode.NonFiniteValue, e.Code);
        Assert.Contains("component 3", e.Message);
    }

    [Fact]
    public void NaNVectorInBuildIsRejected()
    {
        var vectors = (float[])_vectors.Clone();
        vectors[(7 * D) + 2] = float.NaN;
        var e = Assert.Throws<FaissException>(() => _factory.BuildFaiss("HNSW8", D, vectors, _ids));
        Assert.Equal(FaissErrorCode.NonFiniteValue, e.Code);
        Assert.Contains("row 7", e.Message);
    }

    [Fact]
    public void SearchOnEmptyIndexIsRejected()
    {
        using var index = FaissIndex.Create("Flat", D);
        var e = Assert.Throws<FaissException>(() => index.Search(new float[D], 5));
        Assert.Equal(FaissErrorCode.EmptyIndex, e.Code);
    }

    [Fact]
    public void BuildFromNoVectorsIsRejected()
    {
        var e = Assert.Throws<FaissException>(() => _factory.Build("Flat", D, [], []));
        Assert.Equal(FaissErrorCode.EmptyIndex, e.Code);
    }

    [Fact]
    public void IdsLengthMismatchIsRejected()
    {
        var e = Assert.Throws<FaissException>(() => _factory.Build("Flat", D, _vectors, _ids.AsSpan(0, 49)));
        Assert.Equal(FaissErrorCode.InvalidIds, e.Code);
        Assert.Contains("49 ids", e.Message);
    }

    [Fact]
    public void NegativeIdIsRejected()
    {
        var ids = (long[])_ids.Clone();
        ids[4] = -1;
        var e = Assert.Throws<FaissException>(() => _factory.Build("Flat", D, _vectors, ids));
        Assert.Equal(FaissErrorCode.InvalidIds, e.Code);
        Assert.Contains("position 4", e.Message);
    }

    [Fact]
    public void InvalidDescriptionIsRejectedWithItsName()
    {
        var e = Assert.Throws<FaissException>(() => FaissIndex.Create("NoSuchIndex99", D));
        Assert.Equal(FaissErrorCode.InvalidArgument, e.Code);
        Assert.Contains("NoSuchIndex99", e.Message);
    }

    [Fact]
    public void AddToUntrainedIvfIsRejected()
    {
        using var index = FaissIndex.Create("IVF4,Flat", D);
        Assert.False(index.IsTrained);
        var e = Assert.Throws<FaissException>(() => index.Add(_vectors, _ids));
        Assert.Equal(FaissErrorCode.NotTrained, e.Code);
    }

    [Fact]
    public void TrainingWithTooFewPointsReportsFaissError()
    {
        using var index = FaissIndex.Create("IVF64,Flat", D);
        var e = Assert.Throws<FaissException>(() => index.Train(_vectors));
        Assert.Equal(FaissErrorCode.Faiss, e.Code);
    }

    [Fact]
    public void MissingFileIsReportedWithItsPath()
    {
        var path = Path.Combine(_dir, "missing.faiss");
        var e = Assert.Throws<FaissException>(() => _factory.Load(path));
        Assert.Equal(FaissErrorCode.Io, e.Code);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void CorruptFileIsReportedWithItsPath()
    {
        var path = Path.Combine(_dir, "corrupt.faiss");
        using (var index = _factory.BuildFaiss("HNSW8", D, _vectors, _ids))
        {
            index.Save(path);
        }

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var e = Assert.Throws<FaissException>(() => _factory.Load(path));
        Assert.Equal(FaissErrorCode.Io, e.Code);
        Assert.Contains(path, e.Message);

        File.WriteAllBytes(path, "not an index at all"u8.ToArray());
        e = Assert.Throws<FaissException>(() => _factory.Load(path));
        Assert.Equal(FaissErrorCode.Io, e.Code);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void SaveIntoMissingDirectoryIsReportedWithItsPath()
    {
        using var index = _factory.BuildFaiss("Flat", D, _vectors, _ids);
        var path = Path.Combine(_dir, "no-such-dir", "x.faiss");
        var e = Assert.Throws<FaissException>(() => index.Save(path));
        Assert.Equal(FaissErrorCode.Io, e.Code);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void NonPositiveSearchParametersAreRejected()
    {
        using var index = _factory.BuildFaiss("Flat", D, _vectors, _ids);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(_vectors.AsSpan(0, D), 5, new VectorSearchParameters(NProbe: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(_vectors.AsSpan(0, D), 5, new VectorSearchParameters(EfSearch: -1)));
    }

    [Fact]
    public void SearchAfterDisposeThrowsObjectDisposed()
    {
        var index = _factory.BuildFaiss("Flat", D, _vectors, _ids);
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Search(_vectors.AsSpan(0, D), 5));
    }
}

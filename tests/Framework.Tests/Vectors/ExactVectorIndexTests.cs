using RecFramework.Vectors;

namespace RecFramework.Tests.Vectors;

public sealed class ExactVectorIndexTests
{
    private static readonly float[] Vectors = [1, 0, 0, 1, 0.6f, 0.8f, -1, 0];
    private static readonly long[] Ids = [10, 20, 30, 40];

    [Fact]
    public void FindsTheTopKByInnerProduct()
    {
        using var index = new ExactVectorIndex(2, Vectors, Ids);

        var result = index.Search([0.8f, 0.6f], 3);

        Assert.Equal([30L, 10L, 20L], result.Ids);
        Assert.Equal([0.96f, 0.8f, 0.6f], result.Scores.Select(s => MathF.Round(s, 5)));
    }

    [Fact]
    public void BufferSearchOfTheInterfaceCopiesTheResult()
    {
        IVectorIndex index = new ExactVectorIndex(2, Vectors, Ids);
        var ids = new long[2 * 2];
        var scores = new float[2 * 2];

        index.Search([0.8f, 0.6f, -1, 0], 2, ids, scores);

        Assert.Equal([30L, 10L, 40L, 20L], ids);
        var ex = Assert.Throws<ArgumentException>(() => index.Search([0.8f, 0.6f], 2, new long[3], new float[2]));
        Assert.Contains("2 entries", ex.Message, StringComparison.Ordinal);
        index.Dispose();
    }
}

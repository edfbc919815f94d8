namespace RecFramework.Experiments.Tests;

/// <summary>Pins the published vectors of docs/bucketing-spec.md (computed independently with python3-xxhash's xxh3_64).</summary>
public sealed class BucketingSpecTests
{
    [Theory]
    [InlineData("recall", 0L, 226)]
    [InlineData("recall", 1L, 815)]
    [InlineData("recall", 42L, 506)]
    [InlineData("recall", 12345L, 798)]
    [InlineData("recall", -7L, 421)]
    [InlineData("recall", long.MaxValue, 877)]
    [InlineData("rank", 0L, 258)]
    [InlineData("rank", 1L, 997)]
    [InlineData("rank", 42L, 923)]
    [InlineData("rank", 12345L, 391)]
    [InlineData("rank", -7L, 61)]
    [InlineData("rank", long.MaxValue, 794)]
    [InlineData("holdout-2026q4", 0L, 532)]
    [InlineData("holdout-2026q4", 1L, 57)]
    [InlineData("holdout-2026q4", 42L, 216)]
    [InlineData("holdout-2026q4", 12345L, 873)]
    [InlineData("holdout-2026q4", -7L, 833)]
    [InlineData("holdout-2026q4", long.MaxValue, 593)]
    public void MatchesPublishedVectorsFor1000Buckets(string salt, long userId, int bucket) =>
        Assert.Equal(bucket, Bucketing.Bucket(salt, userId, 1000));

    [Theory]
    [InlineData("recall", 12345L, 0xd82947b55907cf56UL)]
    [InlineData("rank", -7L, 0x07e1f33ee337f025UL)]
    [InlineData("holdout-2026q4", long.MaxValue, 0xd01402f85c22f8f1UL)]
    public void BucketIsTheFullHashModuloN(string salt, long userId, ulong hash)
    {
        foreach (var n in new[] { 1, 2, 7, 100, 1000, 4096, 1_000_000 })
        {
            Assert.Equal((int)(hash % (ulong)n), Bucketing.Bucket(salt, userId, n));
        }
    }

    [Fact]
    public void RouterUsesTheSpecFunctionForEveryLayerAndTheHoldout()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        for (long user = -50; user < 2000; user += 7)
        {
            var assignment = router.Assign(user);
            Assert.Equal(Bucketing.Bucket("holdout-2026q4", user, 1000), assignment.HoldoutBucket);
            Assert.Equal(Bucketing.Bucket("recall", user, 1000), assignment.Layers[0].Bucket);
            Assert.Equal(Bucketing.Bucket("rank", user, 1000), assignment.Layers[1].Bucket);
            Assert.Equal(assignment.HoldoutBucket < 100, assignment.Holdout);
        }
    }

    [Fact]
    public void RejectsEmptySaltAndNonPositiveBucketCount()
    {
        Assert.Throws<ArgumentException>(() => Bucketing.Bucket("", 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucketing.Bucket("a", 1, 0));
        var tooLong = new string('s', Bucketing.MaxSaltBytes + 1);
        var error = Assert.Throws<ArgumentException>(() => Bucketing.Bucket(tooLong, 1, 10));
        Assert.Contains("201 UTF-8 bytes", error.Message, StringComparison.Ordinal);
    }
}

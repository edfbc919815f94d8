namespace RecFramework.Experiments.Tests;

/// <summary>Pins the published vectors of docs/bucketing-spec.md (computed independently with python3-xxhash's xxh3_64).</summary>
public sealed partial class BucketingSpecTests
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
    public void EveryRowOfTheSpecTableHoldsForTheImplementation()
    {
        // The published table itself (hash input, full hash, buckets for N = 1000 and 100), so doc and code cannot drift.
        var rows = SpecRows().ToList();
        Assert.Equal(18, rows.Count);
        foreach (var (salt, userId, input, hash, bucket1000, bucket100) in rows)
        {
            Assert.Equal(input, salt + Bucketing.Separator + userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(hash, System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(input), Bucketing.Seed));
            Assert.Equal(bucket1000, Bucketing.Bucket(salt, userId, 1000));
            Assert.Equal(bucket100, Bucketing.Bucket(salt, userId, 100));
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

    private static IEnumerable<(string Salt, long UserId, string Input, ulong Hash, int Bucket1000, int Bucket100)> SpecRows()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RecFramework.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        foreach (var line in File.ReadLines(Path.Combine(directory.FullName, "docs", "bucketing-spec.md")))
        {
            var match = SpecRow().Match(line);
            if (match.Success)
            {
                var g = match.Groups;
                yield return (g[1].Value, long.Parse(g[2].Value, System.Globalization.CultureInfo.InvariantCulture), g[3].Value,
                    ulong.Parse(g[4].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(g[5].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(g[6].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\| (\S+) \| (-?\d+) \| `([^`]+)` \| ([0-9a-f]{16}) \| (\d+) \| (\d+) \|$")]
    private static partial System.Text.RegularExpressions.Regex SpecRow();
}

using CsCheck;
using RecFramework.Testing;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>
/// <see cref="SparseScores"/> holds what a dense accumulator holds — the same columns, first-added order, sums bit for
/// bit — through growth, zeroing and reuse after <see cref="SparseScores.Clear"/>.
/// </summary>
public sealed class SparseScoresTests
{
    [Fact]
    public void SumsEqualADenseAccumulatorThroughGrowthAndReuse()
    {
        // Columns from a narrow range (many repeats) or a 1M-wide one (few), up to 40,000 additions (several growths).
        var column = Gen.OneOf(Gen.Int[0, 50], Gen.Int[0, 999_999]);
        var addition = Gen.Select(column, Gen.Float[1e-6f, 10f]);
        var request = Gen.Select(addition.Array[0, 40_000], Gen.Int[0, 999_999].Array[0, 30]);
        var table = new SparseScores();
        request.Array[1, 4].SampleSeeded(requests =>
        {
            foreach (var (additions, zeroed) in requests)
            {
                table.Clear();
                var dense = new Dictionary<int, float>();
                var order = new List<int>();
                foreach (var (c, v) in additions)
                {
                    table.Add(c, v);
                    if (dense.TryGetValue(c, out var sum))
                    {
                        dense[c] = sum + v;
                    }
                    else
                    {
                        dense[c] = v;
                        order.Add(c);
                    }
                }

                foreach (var c in zeroed)
                {
                    table.Zero(c);
                    if (dense.ContainsKey(c))
                    {
                        dense[c] = 0;
                    }
                }

                Assert.Equal(order.Count, table.Count);
                Assert.True(table.Capacity >= 2 * table.Count, $"load above one half: {table.Count} of {table.Capacity}");
                for (var i = 0; i < order.Count; i++)
                {
                    var (c, score) = table.At(i);
                    Assert.Equal(order[i], c);
                    Assert.Equal(BitConverter.SingleToInt32Bits(dense[c]), BitConverter.SingleToInt32Bits(score));
                }
            }
        }, iter: 60);
    }

    [Fact]
    public void TopGivesTheBestPositiveSumsInOrderWithSmallerColumnsFirstOnTies()
    {
        // Few distinct values so ties are common; some columns zeroed (left out); fetch from 0 past the count.
        var addition = Gen.Select(Gen.Int[0, 3_000], Gen.Int[1, 4].Select(v => v * 0.25f));
        var gen = Gen.Select(addition.Array[0, 4_000], Gen.Int[0, 3_000].Array[0, 50], Gen.Int[0, 4_500]);
        var table = new SparseScores();
        gen.SampleSeeded(input =>
        {
            var (additions, zeroed, fetch) = input;
            table.Clear();
            var sums = new Dictionary<int, float>();
            foreach (var (c, v) in additions)
            {
                table.Add(c, v);
                sums[c] = sums.GetValueOrDefault(c) + v;
            }

            foreach (var c in zeroed)
            {
                table.Zero(c);
                if (sums.ContainsKey(c))
                {
                    sums[c] = 0;
                }
            }

            var expected = sums.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(fetch).ToArray();
            var keys = new ulong[fetch];
            var n = table.Top(fetch, keys);
            Assert.Equal(expected.Length, n);
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(expected[i].Key, SparseScores.ColumnOf(keys[i]));
                Assert.Equal(expected[i].Value, SparseScores.ScoreOf(keys[i]));
            }
        }, iter: 200);
    }

    [Fact]
    public void ClearEmptiesAndZeroOfAnAbsentColumnAddsNothing()
    {
        var table = new SparseScores();
        table.Add(0, 1f);
        table.Add(999_999, 2f);
        table.Zero(5);
        Assert.Equal(2, table.Count);
        table.Clear();
        Assert.Equal(0, table.Count);
        table.Add(999_999, 3f);
        Assert.Equal((999_999, 3f), table.At(0));
        Assert.Equal(1, table.Count);
    }
}

using CsCheck;
using RecFramework.Testing;

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>
/// <see cref="SortedIds.IndexOf"/> (interpolated guess, gallop, binary search) gives what a binary search gives — the
/// position of a present id, -1 for an absent one — on dense, gappy, clustered and extreme id sets.
/// </summary>
public sealed class SortedIdsTests
{
    [Fact]
    public void FindsWhatABinarySearchFindsOnAnySpreadOfIds()
    {
        // Gaps from 1 (dense) to huge, in runs, so ids are evenly spread, clustered or wildly uneven.
        var gap = Gen.OneOf(Gen.Const(1L), Gen.Long[1, 5], Gen.Long[1, 1_000_000], Gen.Long[1, long.MaxValue / 4_096]);
        var gen = Gen.Select(Gen.Long[long.MinValue / 2, long.MaxValue / 2], gap.Array[0, 600], Gen.Long.Array[0, 40]);
        gen.SampleSeeded(input =>
        {
            var (start, gaps, probes) = input;
            var ids = new long[gaps.Length];
            var id = start;
            for (var i = 0; i < gaps.Length; i++)
            {
                ids[i] = id;
                id = id > long.MaxValue - gaps[i] ? long.MaxValue : id + gaps[i];
            }

            ids = ids.Distinct().ToArray();
            foreach (var probe in ids.Concat(ids.Select(x => x + 1)).Concat(ids.Select(x => x - 1)).Concat(probes))
            {
                var expected = Array.BinarySearch(ids, probe);
                Assert.Equal(expected >= 0 ? expected : -1, SortedIds.IndexOf(ids, probe));
            }
        }, iter: 300);
    }

    [Fact]
    public void EdgesAndExtremes()
    {
        Assert.Equal(-1, SortedIds.IndexOf([], 5));
        Assert.Equal(0, SortedIds.IndexOf([7], 7));
        Assert.Equal(-1, SortedIds.IndexOf([7], 8));
        long[] extreme = [long.MinValue, -1, 0, 1, long.MaxValue];
        for (var i = 0; i < extreme.Length; i++)
        {
            Assert.Equal(i, SortedIds.IndexOf(extreme, extreme[i]));
        }

        Assert.Equal(-1, SortedIds.IndexOf(extreme, 2));
        // Clustered: 1,000 dense ids, then one far away; every id found.
        var clustered = Enumerable.Range(0, 1_000).Select(i => (long)i).Append(1_000_000_000_000L).ToArray();
        for (var i = 0; i < clustered.Length; i++)
        {
            Assert.Equal(i, SortedIds.IndexOf(clustered, clustered[i]));
        }
    }
}

namespace RecFramework.Channels.ItemCF.Tests;

/// <summary>The parallel sparse builders against naive dense formulas on a random matrix.</summary>
public sealed class BruteForceTests
{
    private static readonly Interaction[] Data = TestData.Random(users: 120, items: 60, perUser: 12, seed: 7);

    [Fact]
    public void ItemCFTopKMatchesBruteForce()
    {
        var m = TestData.Matrix(Data);
        var index = NeighbourIndexBuilder.Build(new ItemCFKernel(m, new ItemCFOptions { PopularityExponent = 0.5 }), m.ItemIds, 8, false, 2, null, "t", default);
        var like = DenseLikes(m);
        AssertTopK(index, m.ItemCount, 8, (a, b) =>
        {
            double dot = 0, na = 0, nb = 0;
            for (var u = 0; u < m.UserCount; u++)
            {
                dot += like[u, a] * like[u, b];
                na += like[u, a] * like[u, a];
                nb += like[u, b] * like[u, b];
            }

            return dot / Math.Sqrt(na * nb);
        });
    }

    [Fact]
    public void UserCFTopKMatchesBruteForce()
    {
        var m = TestData.Matrix(Data);
        var index = NeighbourIndexBuilder.Build(new UserCFKernel(m, new UserCFOptions(), 1), m.UserIds, 6, false, 2, null, "t", default);
        var like = DenseLikes(m);
        AssertTopK(index, m.UserCount, 6, (a, b) =>
        {
            double sum = 0;
            int na = 0, nb = 0;
            for (var i = 0; i < m.ItemCount; i++)
            {
                na += like[a, i] > 0 ? 1 : 0;
                nb += like[b, i] > 0 ? 1 : 0;
                if (like[a, i] > 0 && like[b, i] > 0)
                {
                    sum += 1 / Math.Log(1 + m.ItemDegree(i));
                }
            }

            return sum / Math.Sqrt((double)na * nb);
        });
    }

    [Fact]
    public void SwingTopKMatchesBruteForce()
    {
        var m = TestData.Matrix(Data);
        var options = new SwingOptions { Alpha = 1, UserWeight = true, MaxUsersPerItem = 10_000 };
        var index = NeighbourIndexBuilder.Build(new SwingKernel(m, options, 1), m.ItemIds, 8, false, 2, null, "t", default);
        var like = DenseLikes(m);
        AssertTopK(index, m.ItemCount, 8, (a, b) =>
        {
            double sum = 0;
            for (var u1 = 0; u1 < m.UserCount; u1++)
            {
                for (var u2 = u1 + 1; u2 < m.UserCount; u2++)
                {
                    if (like[u1, a] > 0 && like[u1, b] > 0 && like[u2, a] > 0 && like[u2, b] > 0)
                    {
                        var overlap = 0;
                        for (var i = 0; i < m.ItemCount; i++)
                        {
                            overlap += like[u1, i] > 0 && like[u2, i] > 0 ? 1 : 0;
                        }

                        sum += 1 / Math.Sqrt(m.UserDegree(u1)) / Math.Sqrt(m.UserDegree(u2)) / (1 + overlap);
                    }
                }
            }

            return sum;
        });
    }

    [Fact]
    public void SwingSamplesHotItemsDeterministically()
    {
        var m = TestData.Matrix(Data);
        var options = new SwingOptions { MaxUsersPerItem = 5 };
        var a = NeighbourIndexBuilder.Build(new SwingKernel(m, options, 3), m.ItemIds, 8, false, 2, null, "t", default);
        var b = NeighbourIndexBuilder.Build(new SwingKernel(m, options, 3), m.ItemIds, 8, false, 1, null, "t", default);
        Assert.Equal(a.Columns, b.Columns);
        Assert.Equal(a.Values, b.Values);
        var (offsets, users) = m.SampleItemUsers(5, 3);
        for (var i = 0; i < m.ItemCount; i++)
        {
            Assert.Equal(Math.Min(5, m.ItemDegree(i)), offsets[i + 1] - offsets[i]);
            var sample = users.AsSpan(offsets[i], offsets[i + 1] - offsets[i]).ToArray();
            var all = m.ItemUsers.AsSpan(m.ItemOffsets[i], m.ItemDegree(i)).ToArray();
            var expected = all.OrderBy(u => UserItemMatrix.Hash(3, m.UserIds[u], m.ItemIds[i])).Take(5).Order().ToArray();
            Assert.Equal(expected, sample);
        }

        var other = m.SampleItemUsers(5, 4);
        Assert.NotEqual(users, other.Users);
    }

    private static void AssertClose(double expected, double actual)
        => Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    private static double[,] DenseLikes(UserItemMatrix m)
    {
        var like = new double[m.UserCount, m.ItemCount];
        for (var u = 0; u < m.UserCount; u++)
        {
            for (var k = m.UserOffsets[u]; k < m.UserOffsets[u + 1]; k++)
            {
                like[u, m.UserItems[k]] = m.UserLikes[k];
            }
        }

        return like;
    }

    private static void AssertTopK(CsrMatrix index, int n, int k, Func<int, int, double> sim)
    {
        var checkedRows = 0;
        for (var a = 0; a < n; a++)
        {
            var expected = Enumerable.Range(0, n).Where(b => b != a)
                .Select(b => (b, s: sim(a, b))).Where(x => x.s > 0 && double.IsFinite(x.s))
                .OrderByDescending(x => x.s).ThenBy(x => x.b).Take(k).ToArray();
            var columns = index.ColumnsOf(a).ToArray();
            var values = index.ValuesOf(a).ToArray();
            Assert.Equal(expected.Length, columns.Length);
            for (var j = 0; j < expected.Length; j++)
            {
                // Scores must agree position by position; ids may only differ between (near-)tied scores.
                AssertClose(expected[j].s, values[j]);
                if (columns[j] != expected[j].b)
                {
                    AssertClose(expected[j].s, sim(a, columns[j]));
                }
            }

            checkedRows += expected.Length > 0 ? 1 : 0;
        }

        Assert.True(checkedRows > n / 2, $"only {checkedRows} of {n} rows had neighbours");
    }
}

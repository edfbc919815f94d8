namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Swing similarity of item i1 with every other item: for each unordered pair {u1, u2} of i1's (sampled) users,
/// the items both liked get <c>w(u1)·w(u2) / (alpha + overlap)</c> with overlap = that intersection's size.
/// Row cost: O(users² × history) on the sampled users, bounded by <see cref="SwingOptions.MaxUsersPerItem"/>.
/// </summary>
internal sealed class SwingKernel : IRowKernel
{
    private readonly UserItemMatrix _m;
    private readonly int[] _itemOffsets;
    private readonly int[] _itemUsers;
    private readonly float[] _userWeight;
    private readonly float _alpha;

    /// <summary>Prepares the sampled item → users index and the user weights.</summary>
    public SwingKernel(UserItemMatrix matrix, SwingOptions options, int seed)
    {
        _m = matrix;
        (_itemOffsets, _itemUsers) = matrix.SampleItemUsers(options.MaxUsersPerItem, seed);
        _userWeight = new float[matrix.UserCount];
        for (var u = 0; u < matrix.UserCount; u++)
        {
            var degree = matrix.UserDegree(u);
            _userWeight[u] = options.UserWeight && degree > 0 ? (float)(1 / Math.Sqrt(degree)) : 1f;
        }

        _alpha = (float)options.Alpha;
    }

    /// <inheritdoc />
    public void Accumulate(int row, RowScratch scratch)
    {
        var m = _m;
        var start = _itemOffsets[row];
        var end = _itemOffsets[row + 1];
        for (var a = start; a < end; a++)
        {
            var u1 = _itemUsers[a];
            var generation = scratch.NextGeneration();
            var stamp = scratch.Stamp;
            for (var j = m.UserOffsets[u1]; j < m.UserOffsets[u1 + 1]; j++)
            {
                stamp[m.UserItems[j]] = generation;
            }

            if (scratch.Buffer.Length < m.UserDegree(u1))
            {
                scratch.Buffer = new int[m.UserDegree(u1) * 2];
            }

            var common = scratch.Buffer;
            for (var b = a + 1; b < end; b++)
            {
                var u2 = _itemUsers[b];
                var overlap = 0;
                for (var j = m.UserOffsets[u2]; j < m.UserOffsets[u2 + 1]; j++)
                {
                    var item = m.UserItems[j];
                    if (stamp[item] == generation)
                    {
                        common[overlap++] = item;
                    }
                }

                var weight = _userWeight[u1] * _userWeight[u2] / (_alpha + overlap);
                if (weight <= 0)
                {
                    continue;
                }

                for (var c = 0; c < overlap; c++)
                {
                    scratch.Add(common[c], weight);
                }
            }
        }
    }

    /// <inheritdoc />
    public float Finish(int row, int column, float raw) => raw;
}

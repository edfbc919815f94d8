namespace RecFramework.Channels.ItemCF;

/// <summary>
/// UserCF similarity: <c>sum over common items l of p(l) / sqrt(|J1|·|J2|)</c> with <c>p(l) = 1/log(1 + n_l)</c>
/// (popularity penalty, n_l the item's full user count) or 1. Neighbours are found through the item → users index,
/// sampled to <see cref="UserCFOptions.MaxUsersPerItem"/> users on hot items.
/// </summary>
internal sealed class UserCFKernel : IRowKernel
{
    private readonly UserItemMatrix _m;
    private readonly int[] _itemOffsets;
    private readonly int[] _itemUsers;
    private readonly float[] _penalty;
    private readonly float[] _sqrtDegree;

    /// <summary>Prepares penalties, degrees and the sampled inverted index.</summary>
    public UserCFKernel(UserItemMatrix matrix, UserCFOptions options, int seed)
    {
        _m = matrix;
        (_itemOffsets, _itemUsers) = matrix.SampleItemUsers(options.MaxUsersPerItem, seed);
        _penalty = new float[matrix.ItemCount];
        for (var i = 0; i < matrix.ItemCount; i++)
        {
            _penalty[i] = options.PopularityPenalty ? (float)(1 / Math.Log(1 + matrix.ItemDegree(i))) : 1f;
        }

        _sqrtDegree = new float[matrix.UserCount];
        for (var u = 0; u < matrix.UserCount; u++)
        {
            _sqrtDegree[u] = (float)Math.Sqrt(matrix.UserDegree(u));
        }
    }

    /// <inheritdoc />
    public void Accumulate(int row, RowScratch scratch)
    {
        var m = _m;
        for (var k = m.UserOffsets[row]; k < m.UserOffsets[row + 1]; k++)
        {
            var item = m.UserItems[k];
            var p = _penalty[item];
            if (!float.IsFinite(p) || p <= 0)
            {
                continue;
            }

            for (var j = _itemOffsets[item]; j < _itemOffsets[item + 1]; j++)
            {
                scratch.Add(_itemUsers[j], p);
            }
        }
    }

    /// <inheritdoc />
    public float Finish(int row, int column, float raw) => raw / (_sqrtDegree[row] * _sqrtDegree[column]);
}

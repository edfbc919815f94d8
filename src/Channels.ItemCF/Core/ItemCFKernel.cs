namespace RecFramework.Channels.ItemCF;

/// <summary>
/// ItemCF similarity: <c>sum_v like(v,i1)·like(v,i2)·iuf(v) / (‖i1‖^(2(1-a))·‖i2‖^(2a))</c> with
/// <c>‖i‖ = sqrt(sum_v like(v,i)²)</c>, <c>iuf(v) = 1/log(1+|I_v|)</c> when enabled (else 1) and a the popularity
/// exponent (0.5 = cosine). Row cost: the sum of the history lengths of the item's users.
/// </summary>
internal sealed class ItemCFKernel : IRowKernel
{
    private readonly UserItemMatrix _m;
    private readonly float[] _userWeight;
    private readonly float[] _normRow; // 1 / ‖i‖^(2(1-a))
    private readonly float[] _normColumn; // 1 / ‖i‖^(2a)

    /// <summary>Prepares norms and user weights.</summary>
    public ItemCFKernel(UserItemMatrix matrix, ItemCFOptions options)
    {
        _m = matrix;
        _userWeight = new float[matrix.UserCount];
        for (var u = 0; u < matrix.UserCount; u++)
        {
            _userWeight[u] = options.InverseUserFrequency ? (float)(1 / Math.Log(1 + matrix.UserDegree(u))) : 1f;
        }

        _normRow = new float[matrix.ItemCount];
        _normColumn = new float[matrix.ItemCount];
        var a = options.PopularityExponent;
        for (var i = 0; i < matrix.ItemCount; i++)
        {
            double sum = 0;
            for (var k = matrix.ItemOffsets[i]; k < matrix.ItemOffsets[i + 1]; k++)
            {
                sum += (double)matrix.ItemLikes[k] * matrix.ItemLikes[k];
            }

            var norm = Math.Sqrt(sum);
            _normRow[i] = norm > 0 ? (float)(1 / Math.Pow(norm, 2 * (1 - a))) : 0;
            _normColumn[i] = norm > 0 ? (float)(1 / Math.Pow(norm, 2 * a)) : 0;
        }
    }

    /// <inheritdoc />
    public void Accumulate(int row, RowScratch scratch)
    {
        var m = _m;
        for (var k = m.ItemOffsets[row]; k < m.ItemOffsets[row + 1]; k++)
        {
            var v = m.ItemUsers[k];
            var weight = m.ItemLikes[k] * _userWeight[v];
            for (var j = m.UserOffsets[v]; j < m.UserOffsets[v + 1]; j++)
            {
                scratch.Add(m.UserItems[j], weight * m.UserLikes[j]);
            }
        }
    }

    /// <inheritdoc />
    public float Finish(int row, int column, float raw) => raw * _normRow[row] * _normColumn[column];
}

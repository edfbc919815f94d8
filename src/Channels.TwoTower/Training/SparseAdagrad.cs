using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Adagrad for embedding tables with sparse (row) gradients, which TorchSharp 0.107's own Adagrad rejects: per step
/// only the rows a batch touched are updated, G[r] += g[r]², w[r] -= lr · g[r] / (√G[r] + ε), so the cost of a step
/// follows the batch, not the vocabulary. Duplicate rows of an uncoalesced gradient are summed first. Dense
/// gradients take the same rule over the whole table.
/// </summary>
internal sealed class SparseAdagrad : GradientOptimizer
{
    private const double Epsilon = 1e-10;
    private readonly List<Tensor> _sums;
    private readonly Scalar _one = 1.0.ToScalar();
    private readonly Scalar _epsilon = Epsilon.ToScalar();

    /// <param name="parameters">Embedding tables (their gradients may be sparse).</param>
    /// <param name="learningRate">lr.</param>
    public SparseAdagrad(IEnumerable<Parameter> parameters, double learningRate)
        : base(parameters, learningRate)
    {
        _sums = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToList();
    }

    /// <inheritdoc />
    public override void Step()
    {
        // Scalars held until the native calls return (see DenseAdam: a temporary one can be finalised mid-call).
        using var stepSize = (-LearningRate).ToScalar();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            var g = p.grad;
            if (g is null)
            {
                continue;
            }

            var sum = _sums[i];
            if (!g.is_sparse)
            {
                sum.addcmul_(g, g, value: _one);
                p.addcdiv_(g, sum.sqrt().add_(_epsilon), value: stepSize);
                continue;
            }

            var rows = g.SparseIndices[0];
            var values = g.SparseValues;
            var (unique, inverseOrNull, _) = torch.unique(rows, sorted: true, return_inverse: true);
            var inverse = inverseOrNull!;
            var summed = zeros(unique.shape[0], values.shape[1], dtype: values.dtype).index_add_(0, inverse, values, alpha: _one);
            var rowSums = sum.index_select(0, unique).addcmul_(summed, summed, value: _one);
            sum.index_copy_(0, unique, rowSums);
            p.index_add_(0, unique, summed.div(rowSums.sqrt().add_(_epsilon)), alpha: stepSize);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        foreach (var sum in _sums)
        {
            sum.Dispose();
        }

        _one.Dispose();
        _epsilon.Dispose();
    }
}

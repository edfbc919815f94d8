using System.Numerics;
using System.Runtime.InteropServices;
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
    private float[] _summed = [];

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

            if (InPlace(p) && InPlace(sum) && p.dim() == 2)
            {
                StepRows(p, sum, g, (float)-LearningRate);
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

    private static bool InPlace(Tensor t) => t.dtype == ScalarType.Float32 && t.device_type == DeviceType.CPU && t.is_contiguous();

    /// <summary>
    /// The sparse rule on the table's memory in place: a batch touches a few hundred rows, for which the libtorch
    /// route (unique, index_add, index_select, index_copy, sqrt, div, index_add: one native call each) cost more in
    /// call overhead than the arithmetic (train-scale: 56 s of a 174 s epoch in the optimiser steps). The gradient's
    /// entries are ordered by (row, position), so duplicates are summed in the batch's order.
    /// </summary>
    private unsafe void StepRows(Tensor parameter, Tensor sum, Tensor gradient, float stepSize)
    {
        using var indices = gradient.SparseIndices[0].contiguous();
        using var values = gradient.SparseValues.contiguous();
        var rows = indices.data<long>().ToArray();
        var count = rows.Length;
        if (count == 0)
        {
            return;
        }

        var width = (int)parameter.shape[1];

        // Key = (row, entry position) packed as row << shift | position: sorting groups an entry's duplicates in the
        // batch's order, and unpacking is a shift and a mask (a 64-bit division per entry cost more than the rule).
        var shift = 64 - BitOperations.LeadingZeroCount((ulong)count);
        var mask = (1L << shift) - 1;
        var keys = new long[count];
        for (var e = 0; e < count; e++)
        {
            keys[e] = (rows[e] << shift) | (long)e;
        }

        Array.Sort(keys);
        var gradients = MemoryMarshal.Cast<byte, float>(values.bytes);
        var weights = NativeRows.Of(parameter);
        var squares = NativeRows.Of(sum);
        var summed = _summed.Length >= width ? _summed : _summed = new float[width];
        var e0 = 0;
        while (e0 < count)
        {
            var row = keys[e0] >> shift;
            var e1 = e0 + 1;
            while (e1 < count && keys[e1] >> shift == row)
            {
                e1++;
            }

            ReadOnlySpan<float> g;
            if (e1 == e0 + 1)
            {
                g = gradients.Slice((int)(keys[e0] & mask) * width, width); // most rows occur once in a batch
            }
            else
            {
                var total = summed.AsSpan(0, width);
                total.Clear();
                for (var e = e0; e < e1; e++)
                {
                    FloatSpans.Add(gradients.Slice((int)(keys[e] & mask) * width, width), total);
                }

                g = total;
            }

            Apply(g, new Span<float>(squares + (row * width), width), new Span<float>(weights + (row * width), width), stepSize);
            e0 = e1;
        }
    }


    /// <summary>G += g², w += step · g / (√G + ε) over one row (vectorised; the same operations in the same order as the scalar tail).</summary>
    private static void Apply(ReadOnlySpan<float> g, Span<float> squares, Span<float> weights, float stepSize)
    {
        var d = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var step = new Vector<float>(stepSize);
            var epsilon = new Vector<float>((float)Epsilon);
            for (; d <= g.Length - Vector<float>.Count; d += Vector<float>.Count)
            {
                var gv = new Vector<float>(g[d..]);
                var sq = new Vector<float>(squares[d..]) + (gv * gv);
                sq.CopyTo(squares[d..]);
                (new Vector<float>(weights[d..]) + (step * (gv / (Vector.SquareRoot(sq) + epsilon)))).CopyTo(weights[d..]);
            }
        }

        for (; d < g.Length; d++)
        {
            var x = g[d];
            squares[d] += x * x;
            weights[d] += stepSize * (x / (MathF.Sqrt(squares[d]) + (float)Epsilon));
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

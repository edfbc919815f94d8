using System.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Adam (β 0.9 / 0.999, ε 1e-8, no weight decay: what <c>torch.optim.Adam</c> did here) with every scalar handed to
/// libtorch held by this method until its native calls return. TorchSharp 0.107's own Adam converts its coefficients
/// to temporary <see cref="Scalar"/>s that the GC may finalise while libtorch still reads them when another thread
/// allocates meanwhile (seen as "Unknown scalar type" in <c>Adam.step</c> from <c>evaluate</c>, once in four runs).
/// </summary>
internal sealed class DenseAdam : GradientOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly List<Tensor> _means;
    private readonly List<Tensor> _squares;
    private readonly Scalar _beta1 = Beta1.ToScalar();
    private readonly Scalar _oneMinusBeta1 = (1 - Beta1).ToScalar();
    private readonly Scalar _beta2 = Beta2.ToScalar();
    private readonly Scalar _oneMinusBeta2 = (1 - Beta2).ToScalar();
    private readonly Scalar _epsilon = Epsilon.ToScalar();
    private long _steps;

    /// <param name="parameters">The parameters to train (materialised: the state is kept per parameter).</param>
    /// <param name="learningRate">lr.</param>
    public DenseAdam(IEnumerable<Parameter> parameters, double learningRate)
        : base(parameters, learningRate)
    {
        _means = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToList();
        _squares = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToList();
    }

    /// <inheritdoc />
    public override void Step()
    {
        _steps++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, _steps);
        var biasCorrection2 = 1 - Math.Pow(Beta2, _steps);
        using var inverseRootCorrection2 = (1 / Math.Sqrt(biasCorrection2)).ToScalar();
        using var stepSize = (-LearningRate / biasCorrection1).ToScalar();
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

            if (!g.is_sparse && InPlace(p) && InPlace(g) && p.numel() > 0)
            {
                StepInPlace(p, g, _means[i], _squares[i], (float)(-LearningRate / biasCorrection1), (float)(1 / Math.Sqrt(biasCorrection2)));
                continue;
            }

            var mean = _means[i].mul_(_beta1).add_(g, alpha: _oneMinusBeta1);
            var square = _squares[i].mul_(_beta2).addcmul_(g, g, value: _oneMinusBeta2);
            p.addcdiv_(mean, square.sqrt().mul_(inverseRootCorrection2).add_(_epsilon), value: stepSize);
        }
    }

    private static bool InPlace(Tensor t) => t.dtype == ScalarType.Float32 && t.device_type == DeviceType.CPU && t.is_contiguous();

    /// <summary>
    /// The same rule over the parameter's memory in one vectorised pass: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²,
    /// w += step · m / (√v · c2 + ε). Through libtorch it was three to five native calls per parameter per step, whose
    /// overhead outweighed the arithmetic for an MLP's few thousand weights.
    /// </summary>
    private static unsafe void StepInPlace(Tensor parameter, Tensor gradient, Tensor mean, Tensor square, float stepSize, float inverseRootCorrection2)
    {
        var length = parameter.numel();
        var w = NativeRows.Of(parameter);
        var g = NativeRows.Of(gradient);
        var m = NativeRows.Of(mean);
        var v = NativeRows.Of(square);
        const float b1 = (float)Beta1, c1 = (float)(1 - Beta1), b2 = (float)Beta2, c2 = (float)(1 - Beta2), eps = (float)Epsilon;
        long i = 0;
        var width = Vector<float>.Count;
        for (; i + width <= length; i += width)
        {
            var gi = Vector.Load(g + i);
            var mi = (Vector.Load(m + i) * b1) + (gi * c1);
            var vi = (Vector.Load(v + i) * b2) + (gi * gi * c2);
            mi.Store(m + i);
            vi.Store(v + i);
            var wi = Vector.Load(w + i) + (mi / ((Vector.SquareRoot(vi) * inverseRootCorrection2) + new Vector<float>(eps)) * stepSize);
            wi.Store(w + i);
        }

        for (; i < length; i++)
        {
            m[i] = (m[i] * b1) + (g[i] * c1);
            v[i] = (v[i] * b2) + (g[i] * g[i] * c2);
            w[i] += stepSize * (m[i] / ((MathF.Sqrt(v[i]) * inverseRootCorrection2) + eps));
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        foreach (var t in _means.Concat(_squares))
        {
            t.Dispose();
        }

        foreach (var s in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon })
        {
            s.Dispose();
        }
    }
}

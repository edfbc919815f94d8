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

            var mean = _means[i].mul_(_beta1).add_(g, alpha: _oneMinusBeta1);
            var square = _squares[i].mul_(_beta2).addcmul_(g, g, value: _oneMinusBeta2);
            p.addcdiv_(mean, square.sqrt().mul_(inverseRootCorrection2).add_(_epsilon), value: stepSize);
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

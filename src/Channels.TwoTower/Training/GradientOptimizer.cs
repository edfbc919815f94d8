using TorchSharp.Modules;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// What the trainer's optimisers share: the parameters they update, a learning rate the trainer decays per epoch, and
/// gradients dropped (not zeroed) between steps, as PyTorch's <c>zero_grad()</c> does by default.
/// </summary>
internal abstract class GradientOptimizer : IDisposable
{
    protected GradientOptimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        Parameters = parameters.ToList();
        LearningRate = learningRate;
    }

    /// <summary>Current learning rate (decayed by the trainer per epoch).</summary>
    public double LearningRate { get; set; }

    /// <summary>The parameters updated (materialised: state is kept per parameter).</summary>
    protected List<Parameter> Parameters { get; }

    /// <summary>Drops the gradients.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.grad = null;
        }
    }

    /// <summary>Applies one update from the current gradients (parameters without one are left as they are).</summary>
    public abstract void Step();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the optimiser's state tensors and scalars.</summary>
    protected abstract void Dispose(bool disposing);
}

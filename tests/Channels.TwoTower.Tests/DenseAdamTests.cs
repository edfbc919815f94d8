using RecFramework.Channels.TwoTower.Training;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// <see cref="DenseAdam"/>: bias-corrected Adam (β 0.9 / 0.999, ε 1e-8) on every parameter with a gradient, checked
/// step by step against the rule computed with tensors; sizes on and off the vector width (35 weights, 5 biases).
/// </summary>
public sealed class DenseAdamTests
{
    [Fact]
    public void StepsFollowTheAdamRuleWithBiasCorrection()
    {
        lock (TwoTowerBuilder.TrainingGate)
        {
            torch.manual_seed(23);
            using var layer = torch.nn.Linear(7, 5);
            var parameters = layer.parameters().ToArray();
            var reference = parameters.Select(p => p.detach().clone()).ToArray();
            var means = parameters.Select(p => torch.zeros_like(p)).ToArray();
            var squares = parameters.Select(p => torch.zeros_like(p)).ToArray();
            const double rate = 0.05;
            using var optimizer = new DenseAdam(parameters, rate);
            for (var step = 1; step <= 4; step++)
            {
                using var scope = torch.NewDisposeScope();
                optimizer.ZeroGrad();
                layer.call(torch.randn(9, 7)).pow(2).sum().backward();
                for (var i = 0; i < parameters.Length; i++)
                {
                    var g = parameters[i].grad!;
                    means[i] = means[i].mul(0.9).add(g.mul(0.1)).DetachFromDisposeScope();
                    squares[i] = squares[i].mul(0.999).add(g.mul(g).mul(0.001)).DetachFromDisposeScope();
                    var mHat = means[i].div(1 - Math.Pow(0.9, step));
                    var vHat = squares[i].div(1 - Math.Pow(0.999, step));
                    reference[i] = reference[i].sub(mHat.div(vHat.sqrt().add(1e-8)).mul(rate)).DetachFromDisposeScope();
                }

                optimizer.Step();

                for (var i = 0; i < parameters.Length; i++)
                {
                    Assert.True(torch.allclose(parameters[i].detach(), reference[i], rtol: 1e-5, atol: 1e-6), $"step {step}, parameter {i}: not Adam's update");
                }
            }
        }
    }
}

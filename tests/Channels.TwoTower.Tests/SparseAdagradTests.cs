using RecFramework.Channels.TwoTower.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// <see cref="SparseAdagrad"/>: per step, only the rows a batch touched change, by G[r] += g[r]², w[r] -= lr · g[r] /
/// (√G[r] + ε) with a repeated row's gradients summed first; checked against the rule computed with dense tensors.
/// </summary>
public sealed class SparseAdagradTests
{
    [Theory]
    [InlineData(6)] // narrower than a vector: the scalar loop only
    [InlineData(21)] // whole vectors of 8 or 16 floats and a scalar tail
    public void SparseStepsMatchTheAdagradRuleOnTheTouchedRowsAndLeaveTheOthers(int width)
    {
        lock (TwoTowerBuilder.TrainingGate)
        {
            torch.manual_seed(21);
            using var table = torch.nn.Embedding(40, width, sparse: true);
            using var reference = table.weight!.detach().clone();
            using var squares = torch.zeros_like(reference);
            using var optimizer = new SparseAdagrad([table.weight!], learningRate: 0.3);
            var random = new Random(4);
            using var one = 1.0.ToScalar();
            for (var step = 0; step < 5; step++)
            {
                // A batch with repeats (rows drawn from 15 of the 40), weighted so each entry's gradient differs.
                var rows = Enumerable.Range(0, 24).Select(_ => (long)random.Next(15)).ToArray();
                using var scope = torch.NewDisposeScope();
                var weights = torch.randn(rows.Length, width);
                optimizer.ZeroGrad();
                table.call(torch.tensor(rows)).mul(weights).sum().backward();
                Assert.True(table.weight!.grad!.is_sparse);

                // Reference on dense tensors: the batch's gradient per row is the sum of its entries' weights.
                var dense = torch.zeros(40, width).index_add_(0, torch.tensor(rows), weights, one);
                var touched = torch.tensor(rows.Distinct().Order().ToArray());
                var g = dense.index_select(0, touched);
                var G = squares.index_select(0, touched).add(g.mul(g));
                squares.index_copy_(0, touched, G);
                reference.index_copy_(0, touched, reference.index_select(0, touched).sub(g.div(G.sqrt().add(1e-10)).mul(0.3)));

                optimizer.Step();

                Assert.True(torch.allclose(table.weight!.detach(), reference, rtol: 1e-5, atol: 1e-6), $"step {step}: the table is not the Adagrad rule's");
            }

            // Rows 15..39 were never in a batch: unchanged bit for bit.
            using var untouchedBefore = reference.narrow(0, 15, 25);
            Assert.True(table.weight!.detach().narrow(0, 15, 25).equal(untouchedBefore).all().item<bool>());
        }
    }

    [Fact]
    public void DenseGradientsTakeTheSameRuleOverTheWholeTable()
    {
        lock (TwoTowerBuilder.TrainingGate)
        {
            torch.manual_seed(22);
            using var table = torch.nn.Embedding(10, 4, sparse: false);
            using var before = table.weight!.detach().clone();
            using var optimizer = new SparseAdagrad([table.weight!], learningRate: 0.1);
            using var scope = torch.NewDisposeScope();
            var weights = torch.randn(3, 4);
            table.call(torch.tensor(new long[] { 1, 1, 7 })).mul(weights).sum().backward();
            var g = table.weight!.grad!.clone();
            Assert.False(g.is_sparse);

            optimizer.Step();

            var expected = before.sub(g.div(g.mul(g).sqrt().add(1e-10)).mul(0.1));
            Assert.True(torch.allclose(table.weight!.detach(), expected, rtol: 1e-5, atol: 1e-6));
        }
    }
}

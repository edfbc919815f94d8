using RecFramework.Channels.TwoTower.Training;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Tests;

public sealed class LossesTests
{
    private static float Value(torch.Tensor t) => t.item<float>();

    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [Fact]
    public void InBatchSoftmaxMatchesHandComputedValueWithLogQ()
    {
        using var scope = torch.NewDisposeScope();
        // Two users, two items, 2-d unit vectors: cos matrix [[1, 0], [0.6, 0.8]].
        var users = torch.tensor(new float[] { 1, 0, 0.6f, 0.8f }).reshape(2, 2);
        var items = torch.tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2);
        var logQ = torch.tensor(new float[] { (float)Math.Log(0.5), (float)Math.Log(0.25) });
        const double T = 0.5;
        double[,] logits = { { (1 / T) - Math.Log(0.5), (0 / T) - Math.Log(0.25) }, { (0.6 / T) - Math.Log(0.5), (0.8 / T) - Math.Log(0.25) } };
        var expected = 0.0;
        for (var i = 0; i < 2; i++)
        {
            var lse = Math.Log(Math.Exp(logits[i, 0]) + Math.Exp(logits[i, 1]));
            expected += lse - logits[i, i];
        }

        expected /= 2;
        Assert.Equal(expected, Value(Losses.InBatchSoftmax(users, items, logQ, null, T)), 4);

        // Without logQ the value differs (the correction is applied).
        var plain = Value(Losses.InBatchSoftmax(users, items, null, null, T));
        Assert.NotEqual(expected, plain, 3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheDistinctItemSoftmaxHasTheLossAndGradientsOfThePerExampleOne(bool withLogQ)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);

        // 12 examples over 5 distinct item positions, item 3 four times, item 0 three times, item 4 once.
        long[] itemIndex = [3, 0, 3, 1, 0, 2, 3, 4, 1, 0, 3, 2];
        var distinct = new DistinctBatchItems(itemCount: 6).Of(itemIndex);
        Assert.Equal([3L, 0, 1, 2, 4], distinct.Items!);
        Assert.Equal([0L, 1, 0, 2, 1, 3, 0, 4, 2, 1, 0, 3], distinct.Targets!);
        Assert.Equal(Math.Log(4), distinct.LogCounts![0], 5);
        Assert.Equal([0L, 1, 3, 5, 7], distinct.FirstExample!);

        var users = torch.nn.functional.normalize(torch.randn(12, 8), dim: 1).requires_grad_();
        var unique = torch.nn.functional.normalize(torch.randn(5, 8), dim: 1).requires_grad_();
        var targets = torch.tensor(distinct.Targets!);
        var perItemLogQ = torch.randn(5);
        var perExample = unique.index_select(0, targets); // what the item tower gives each example
        var perExampleLogQ = perItemLogQ.index_select(0, targets);
        var keys = torch.tensor(itemIndex);

        var reference = Losses.InBatchSoftmax(users, perExample, withLogQ ? perExampleLogQ : null, keys, 0.1);
        var (userGrad, itemGrad) = Gradients(reference, users, unique);
        var deduplicated = Losses.InBatchSoftmaxDistinct(users, unique, withLogQ ? perItemLogQ : null, targets, torch.tensor(distinct.LogCounts!), 0.1);
        var (userGrad2, itemGrad2) = Gradients(deduplicated, users, unique);

        Assert.Equal(Value(reference), Value(deduplicated), 4);
        Assert.True(userGrad.allclose(userGrad2, rtol: 1e-4, atol: 1e-6), "the user gradients differ");
        Assert.True(itemGrad.allclose(itemGrad2, rtol: 1e-4, atol: 1e-6), "the item gradients differ");

        // Without the log-count offsets the two would differ: the test sees the duplicates.
        var noCounts = Losses.InBatchSoftmaxDistinct(users, unique, withLogQ ? perItemLogQ : null, targets, torch.zeros(5), 0.1);
        Assert.NotEqual(Value(reference), Value(noCounts), 3);
    }

    private static (torch.Tensor Users, torch.Tensor Items) Gradients(torch.Tensor loss, torch.Tensor users, torch.Tensor items)
    {
        var grads = torch.autograd.grad([loss], [users, items]);
        return (grads[0], grads[1]);
    }

    [Fact]
    public void InBatchSoftmaxMasksDuplicateItems()
    {
        using var scope = torch.NewDisposeScope();
        var users = torch.tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2);
        var items = torch.tensor(new float[] { 1, 0, 1, 0 }).reshape(2, 2);
        var keys = torch.tensor(new long[] { 7, 7 });
        // Both columns are item 7: each row only keeps its own column, so the loss is 0.
        Assert.Equal(0.0, Value(Losses.InBatchSoftmax(users, items, null, keys, 0.1)), 5);
    }

    [Fact]
    public void PointwiseMatchesHandComputedValue()
    {
        using var scope = torch.NewDisposeScope();
        var pos = torch.tensor(new float[] { 0.5f, -0.2f });
        var neg = torch.tensor(new float[] { 0.1f, 0.3f, -0.4f, 0.0f }).reshape(2, 2);
        const double T = 0.5;
        var expected = (Softplus(-0.5 / T) + Softplus(0.2 / T) + Softplus(0.1 / T) + Softplus(0.3 / T) + Softplus(-0.4 / T) + Softplus(0)) / 6;
        Assert.Equal(expected, Value(Losses.Pointwise(pos, neg, T)), 5);
    }

    [Fact]
    public void TripletHingeMatchesHandComputedValue()
    {
        using var scope = torch.NewDisposeScope();
        var pos = torch.tensor(new float[] { 0.5f, 0.1f });
        var neg = torch.tensor(new float[] { 0.1f, 0.45f, 0.3f, -0.5f }).reshape(2, 2);
        // max(0, neg + 0.2 - pos): row 0: 0, 0.15; row 1: 0.4, 0.
        Assert.Equal((0 + 0.15 + 0.4 + 0) / 4, Value(Losses.TripletHinge(pos, neg, 0.2)), 5);
    }

    [Fact]
    public void TripletLogisticMatchesHandComputedValue()
    {
        using var scope = torch.NewDisposeScope();
        var pos = torch.tensor(new float[] { 0.5f });
        var neg = torch.tensor(new float[] { 0.1f, 0.7f }).reshape(1, 2);
        var expected = (Softplus(3 * (0.1 - 0.5)) + Softplus(3 * (0.7 - 0.5))) / 2;
        Assert.Equal(expected, Value(Losses.TripletLogistic(pos, neg, 3)), 5);
    }

    [Fact]
    public void ListwiseMatchesHandComputedValueWithAndWithoutLogQ()
    {
        using var scope = torch.NewDisposeScope();
        var pos = torch.tensor(new float[] { 0.4f });
        var neg = torch.tensor(new float[] { 0.2f, -0.1f }).reshape(1, 2);
        const double T = 0.2;
        double Ce(double p, double a, double b) => Math.Log(Math.Exp(p) + Math.Exp(a) + Math.Exp(b)) - p;
        Assert.Equal(Ce(0.4 / T, 0.2 / T, -0.1 / T), Value(Losses.Listwise(pos, neg, T)), 4);
        var qp = torch.tensor(new float[] { (float)Math.Log(0.1) });
        var qn = torch.tensor(new float[] { (float)Math.Log(0.3), (float)Math.Log(0.05) }).reshape(1, 2);
        Assert.Equal(Ce((0.4 / T) - Math.Log(0.1), (0.2 / T) - Math.Log(0.3), (-0.1 / T) - Math.Log(0.05)), Value(Losses.Listwise(pos, neg, T, qp, qn)), 4);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Tests;

public sealed class TorchSharpLoadTests
{
    [Fact]
    public void CreatesTensorsAndRunsBackward()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1f, 2f, 3f }, requires_grad: true);
        var w = torch.tensor(new float[] { 0.5f, -1f, 2f }, requires_grad: true);
        var y = (x * w).sum() + (x * x).sum();
        y.backward();
        Assert.Equal(1f * 0.5f - 2f + 6f + 14f, y.item<float>(), 5);
        // dy/dx = w + 2x, dy/dw = x
        Assert.Equal(new[] { 2.5f, 3f, 8f }, x.grad!.data<float>().ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f }, w.grad!.data<float>().ToArray());
    }

    [Fact]
    public void TrainsLinearLayerWithAdam()
    {
        torch.manual_seed(1);
        using var scope = torch.NewDisposeScope();
        var layer = torch.nn.Linear(4, 1);
        var optimizer = torch.optim.Adam(layer.parameters(), 0.05);
        var input = torch.randn(64, 4);
        var target = input.matmul(torch.tensor(new float[] { 1f, -2f, 0.5f, 3f }).reshape(4, 1));
        float first = 0, last = 0;
        for (var step = 0; step < 200; step++)
        {
            optimizer.zero_grad();
            var loss = torch.nn.functional.mse_loss(layer.call(input), target);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }

        Assert.True(last < first * 0.05, $"loss went from {first} to {last}");
    }
}

using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// The managed forward pass serving uses (<see cref="ManagedTower"/>) gives the TorchSharp tower's vectors within float
/// rounding, for every input kind and option the tower has, and keeps working after the tower is disposed.
/// </summary>
public sealed class ManagedTowerTests
{
    private const int Rows = 40;

    [Theory]
    [InlineData(false, 0, Activation.Relu, "128")]
    [InlineData(true, 0, Activation.Relu, "128")]
    [InlineData(false, 5, Activation.Gelu, "64,32")]
    [InlineData(true, 5, Activation.Tanh, "48")]
    [InlineData(true, 3, Activation.Relu, "")]
    public void MatchesTheTorchSharpTowerRowByRow(bool seNet, int historyLength, Activation activation, string hidden)
    {
        var options = new TwoTowerOptions
        {
            SeNet = seNet,
            HistoryLength = historyLength,
            Activation = activation,
            HiddenLayers = hidden,
            Dimension = 24,
            IdEmbeddingDimension = 16,
            FeatureEmbeddingDimension = 8,
        };
        var shape = new TowerShape(IdSlots: 50, CategoricalSlots: 30, CategoricalFields: 3, MultiSlots: 20, MultiFields: 2, ContinuousFields: 2, HistorySlots: historyLength > 0 ? 60 : 0);
        torch.manual_seed(7);
        using var tower = new Tower("user", shape, options);
        tower.eval();
        var rows = RandomRows(shape, historyLength, new Random(7));

        using var managed = tower.ToManaged(activation);
        float[] expected;
        using (var scope = torch.NewDisposeScope())
        using (var mode = torch.inference_mode())
        {
            expected = tower.call(TowerInput.From(rows)).data<float>().ToArray();
        }

        Assert.Equal(options.Dimension, managed.Dimension);
        for (var r = 0; r < Rows; r++)
        {
            var vector = managed.Forward(rows, r);
            Assert.Equal(options.Dimension, vector.Length);
            for (var i = 0; i < vector.Length; i++)
            {
                Assert.True(Math.Abs(expected[(r * options.Dimension) + i] - vector[i]) < 2e-6, $"row {r}, component {i}: torch {expected[(r * options.Dimension) + i]}, managed {vector[i]}");
            }
        }
    }

    [Fact]
    public void OutlivesTheTowerAndRefusesASlotOutsideATable()
    {
        var options = new TwoTowerOptions { Dimension = 8, IdEmbeddingDimension = 8, FeatureEmbeddingDimension = 4 };
        var shape = new TowerShape(IdSlots: 10, CategoricalSlots: 6, CategoricalFields: 1, MultiSlots: 0, MultiFields: 0, ContinuousFields: 0);
        torch.manual_seed(3);
        var tower = new Tower("user", shape, options);
        tower.eval();
        var rows = RandomRows(shape, 0, new Random(3));
        using var managed = tower.ToManaged(options.Activation);
        var before = managed.Forward(rows, 1);
        tower.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // Freed storage would be handed out again: fill fresh tensors of the tables' sizes with another value.
        var filler = Enumerable.Range(0, 50).Select(_ => TorchSharp.torch.full([10, 8], 9f)).ToList();
        Assert.Equal(before, managed.Forward(rows, 1));
        filler.ForEach(t => t.Dispose());

        rows.Ids[2] = 10;
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => managed.Forward(rows, 2));
        Assert.Contains("slot 10", refused.Message, StringComparison.Ordinal);
    }

    private static EncodedRows RandomRows(TowerShape shape, int historyLength, Random random)
    {
        const int MultiLength = 4;
        var rows = new EncodedRows(Rows, shape.CategoricalFields, shape.MultiFields, shape.MultiFields == 0 ? 0 : MultiLength, shape.ContinuousFields);
        for (var r = 0; r < Rows; r++)
        {
            rows.Ids[r] = random.NextInt64(shape.IdSlots);
        }

        for (var i = 0; i < rows.Categorical.Length; i++)
        {
            rows.Categorical[i] = random.NextInt64(shape.CategoricalSlots);
        }

        // Multi-valued fields: some all padding, some partly, some full.
        for (var i = 0; i < rows.Multi.Length; i++)
        {
            rows.Multi[i] = random.Next(3) == 0 ? 0 : random.NextInt64(1, shape.MultiSlots);
        }

        for (var i = 0; i < rows.Continuous.Length; i++)
        {
            rows.Continuous[i] = (float)((random.NextDouble() * 4) - 2);
        }

        if (historyLength > 0)
        {
            var slots = new long[Rows * historyLength];
            for (var i = 0; i < slots.Length; i++)
            {
                slots[i] = random.Next(2) == 0 ? 0 : random.NextInt64(1, shape.HistorySlots);
            }

            rows.SetHistory(historyLength, slots);
        }

        return rows;
    }
}

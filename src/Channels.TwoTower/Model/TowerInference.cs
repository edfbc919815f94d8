using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Model;

/// <summary>Batched, gradient-free evaluation of a tower over a whole table.</summary>
internal static class TowerInference
{
    /// <summary>[rows, Dimension] vectors of every row of <paramref name="table"/>, in chunks (caller owns the scope and no-grad mode).</summary>
    public static Tensor Vectors(Tower tower, TowerInput table, int chunk = 65536)
    {
        var rows = table.Ids.shape[0];
        var parts = new List<Tensor>();
        for (long start = 0; start < rows; start += chunk)
        {
            var index = torch.arange(start, Math.Min(rows, start + chunk), dtype: ScalarType.Int64);
            parts.Add(tower.call(table.Select(index)));
        }

        return parts.Count == 1 ? parts[0] : torch.cat(parts, 0);
    }

    /// <summary>Row-major float copy of every row's vector, computed in eval mode without autograd.</summary>
    public static float[] Export(Tower tower, Features.EncodedRows rows)
    {
        var wasTraining = tower.training;
        tower.eval();
        try
        {
            using var scope = torch.NewDisposeScope();
            using var mode = torch.inference_mode();
            return Vectors(tower, TowerInput.From(rows)).contiguous().data<float>().ToArray();
        }
        finally
        {
            if (wasTraining)
            {
                tower.train();
            }
        }
    }
}

using RecFramework.Channels.TwoTower.Model;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// The ONNX graph of a RecFramework user tower, op for op: Gather (id and categorical tables), Reshape, Concat, Gemm
/// (transB = 1, as <c>nn.Linear</c> stores [out, in]) with Relu or Tanh between, and the L2 normalisation
/// x / max(‖x‖₂, 1e-12) as ReduceL2 → Max → Div (what <c>functional.normalize</c> computes).
/// Inputs: <c>user_slot</c> [batch] int64 (the encoder's id slot; 0 = unknown), <c>categorical</c> [batch, F] int64
/// (slots of the shared table), <c>continuous</c> [batch, C] float32 (normalised values); output
/// <c>user_vector</c> [batch, Dimension] float32.
/// </summary>
internal static class OnnxTowerWriter
{
    /// <summary>Input name of the id slot.</summary>
    public const string SlotInput = "user_slot";

    /// <summary>Input name of the categorical slots.</summary>
    public const string CategoricalInput = "categorical";

    /// <summary>Input name of the continuous values.</summary>
    public const string ContinuousInput = "continuous";

    /// <summary>Output name of the user vector.</summary>
    public const string Output = "user_vector";

    /// <summary>Serialises <paramref name="tower"/> (its weights as they are now) into an ONNX model.</summary>
    /// <exception cref="RecFrameworkException">The tower uses a part the graph does not cover (history, multi-valued fields, SENet, GELU).</exception>
    public static byte[] Write(Tower tower, TwoTowerOptions options, int categoricalFields, int continuousFields)
    {
        if (tower.HistoryTable is not null)
        {
            throw Unsupported($"HistoryLength={options.HistoryLength} (the recent-history pooling)");
        }

        if (options.SeNet)
        {
            throw Unsupported("SeNet=true");
        }

        if (options.Activation == Activation.Gelu)
        {
            throw Unsupported("Activation=Gelu (opset 13 has no Gelu)");
        }

        var weights = new Dictionary<string, (long[] Shape, float[] Values)>(StringComparer.Ordinal);
        foreach (var (name, parameter) in tower.named_parameters())
        {
            using var detached = parameter.detach().contiguous();
            weights[name] = (detached.shape, detached.data<float>().ToArray());
        }

        if (weights.ContainsKey("multi.weight"))
        {
            throw Unsupported("multi-valued profile fields");
        }

        var g = new OnnxGraphWriter();
        var parts = new List<string>();
        if (weights.TryGetValue("ids.weight", out var ids))
        {
            g.Input(SlotInput, OnnxGraphWriter.Int64, [null]);
            parts.Add(g.Node("Gather", [g.Initializer("ids.weight", ids.Shape, ids.Values), SlotInput]));
        }

        if (categoricalFields > 0 && weights.TryGetValue("categorical.weight", out var categorical))
        {
            g.Input(CategoricalInput, OnnxGraphWriter.Int64, null, categoricalFields);
            var gathered = g.Node("Gather", [g.Initializer("categorical.weight", categorical.Shape, categorical.Values), CategoricalInput]);
            parts.Add(g.Node("Reshape", [gathered, g.Initializer("flatten_shape", [2], [0, -1])]));
        }

        if (continuousFields > 0)
        {
            g.Input(ContinuousInput, OnnxGraphWriter.Float, null, continuousFields);
            parts.Add(ContinuousInput);
        }

        var x = parts.Count == 1 ? parts[0] : g.Node("Concat", [.. parts], null, ("axis", 1L));
        var linears = weights.Keys.Where(k => k.StartsWith("mlp.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        for (var i = 0; i < linears.Length; i++)
        {
            var w = weights[$"mlp.{linears[i]}.weight"];
            var b = weights[$"mlp.{linears[i]}.bias"];
            var weight = g.Initializer($"mlp.{linears[i]}.weight", w.Shape, w.Values);
            var bias = g.Initializer($"mlp.{linears[i]}.bias", b.Shape, b.Values);
            x = g.Node("Gemm", [x, weight, bias], null, ("transB", 1L));
            if (i < linears.Length - 1)
            {
                x = g.Node(options.Activation == Activation.Tanh ? "Tanh" : "Relu", [x]);
            }
        }

        var norm = g.Node("ReduceL2", [x], null, ("axes", new long[] { 1 }), ("keepdims", 1L));
        var clamped = g.Node("Max", [norm, g.Initializer("eps", [], [1e-12f])]);
        g.Node("Div", [x, clamped], Output);
        g.Output(Output, OnnxGraphWriter.Float, null, options.Dimension);
        return g.ToModel("user_tower", "RecFramework");
    }

    private static RecFrameworkException Unsupported(string what)
        => new(RecError.InvalidArgument, $"The ONNX export covers ids, categorical and continuous fields, Linear layers with Relu or Tanh and the L2 normalisation; this tower uses {what}.");
}

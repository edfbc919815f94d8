using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Model;

/// <summary>A batch of encoded tower inputs (tensors owned by the current dispose scope).</summary>
/// <param name="Ids">[batch] int64 id slots.</param>
/// <param name="Categorical">[batch, categoricalFields] int64 slots of the shared table, or null.</param>
/// <param name="Multi">[batch, multiFields, multiLength] int64 slots (0 = padding), or null.</param>
/// <param name="Continuous">[batch, continuousFields] float32, or null.</param>
/// <param name="History">[batch, historyLength] int64 item id slots of the user's recent history (0 = padding), or null.</param>
internal sealed record TowerInput(Tensor Ids, Tensor? Categorical, Tensor? Multi, Tensor? Continuous, Tensor? History = null)
{
    /// <summary>Rows <paramref name="index"/> ([n] int64) of every tensor.</summary>
    public TowerInput Select(Tensor index) => new(
        Ids.index_select(0, index),
        Categorical?.index_select(0, index),
        Multi?.index_select(0, index),
        Continuous?.index_select(0, index),
        History?.index_select(0, index));

    /// <summary>Copies encoded rows into tensors.</summary>
    public static TowerInput From(Features.EncodedRows rows) => new(
        torch.tensor(rows.Ids, dtype: ScalarType.Int64),
        rows.CategoricalFields == 0 ? null : torch.tensor(rows.Categorical, dtype: ScalarType.Int64).reshape(rows.Count, rows.CategoricalFields),
        rows.MultiFields == 0 ? null : torch.tensor(rows.Multi, dtype: ScalarType.Int64).reshape(rows.Count, rows.MultiFields, rows.MultiLength),
        rows.ContinuousFields == 0 ? null : torch.tensor(rows.Continuous, dtype: ScalarType.Float32).reshape(rows.Count, rows.ContinuousFields),
        rows.HistoryLength == 0 ? null : torch.tensor(rows.History, dtype: ScalarType.Int64).reshape(rows.Count, rows.HistoryLength));

    /// <summary>Moves every tensor out of the current dispose scope (for tables kept across batches).</summary>
    public TowerInput DetachFromScope()
    {
        Ids.DetachFromDisposeScope();
        Categorical?.DetachFromDisposeScope();
        Multi?.DetachFromDisposeScope();
        Continuous?.DetachFromDisposeScope();
        History?.DetachFromDisposeScope();
        return this;
    }
}

namespace RecFramework.Channels.TwoTower.Model;

/// <summary>
/// Table sizes and field counts of one tower, taken from its feature encoder; <paramref name="HistorySlots"/> is the
/// size of the recent-history item table (the item tower's id slots) on a user tower that reads history, else 0.
/// </summary>
internal sealed record TowerShape(long IdSlots, long CategoricalSlots, int CategoricalFields, long MultiSlots, int MultiFields, int ContinuousFields, long HistorySlots = 0)
{
    /// <summary>The shape of a fitted encoder.</summary>
    public static TowerShape Of(Features.FeatureEncoder encoder) => new(
        encoder.IdSlots, encoder.CategoricalSlots, encoder.Categorical.Count, encoder.MultiSlots, encoder.Multi.Count, encoder.Continuous.Count);
}

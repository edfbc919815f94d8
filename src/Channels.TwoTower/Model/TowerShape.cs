namespace RecFramework.Channels.TwoTower.Model;

/// <summary>Table sizes and field counts of one tower, taken from its feature encoder.</summary>
internal sealed record TowerShape(long IdSlots, long CategoricalSlots, int CategoricalFields, long MultiSlots, int MultiFields, int ContinuousFields)
{
    /// <summary>The shape of a fitted encoder.</summary>
    public static TowerShape Of(Features.FeatureEncoder encoder) => new(
        encoder.IdSlots, encoder.CategoricalSlots, encoder.Categorical.Count, encoder.MultiSlots, encoder.Multi.Count, encoder.Continuous.Count);
}

namespace RecFramework.Pipeline;

/// <summary>One recommended item with its fused score and the channels that proposed it (best channel first).</summary>
/// <param name="ItemId">External item id.</param>
/// <param name="Score">Fused score.</param>
/// <param name="Channels">Names of the channels that returned the item, in plan order.</param>
public sealed record RecommendedItem(long ItemId, double Score, IReadOnlyList<string> Channels);

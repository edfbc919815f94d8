namespace RecFramework.Channels.ItemCF;

/// <summary>Where a neighbourhood channel reads its neighbour lists online (<see cref="NeighbourhoodOptions.NeighbourSource"/>).</summary>
public enum NeighbourSource
{
    /// <summary>The in-process sparse index loaded from the artifact's <c>neighbours.csr</c> (the default; fastest).</summary>
    Artifact = 0,

    /// <summary>
    /// The registered <see cref="RecFramework.Stores.INeighbourListStore"/> (Redis when
    /// <c>AddRedisStores</c> is called), filled from the artifact on activation by the first replica
    /// and shared by all of them; one batched read per request.
    /// </summary>
    Store = 1,
}

namespace RecFramework.Experiments.Interleaving;

/// <summary>A merged list of <see cref="TeamDraft.Merge"/>.</summary>
/// <param name="Items">The merged items, in position order, each at most once.</param>
/// <param name="Teams">For each of <see cref="Items"/>, the index of the ranking (team) that placed it.</param>
public sealed record InterleavedList(IReadOnlyList<long> Items, IReadOnlyList<int> Teams);

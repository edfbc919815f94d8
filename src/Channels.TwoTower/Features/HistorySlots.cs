namespace RecFramework.Channels.TwoTower.Features;

/// <summary>
/// The recent-history input of the user tower: item id slots of a user's latest positive items, most recent first,
/// padded with 0 (the padding slot, which also absorbs items unknown to the item encoder).
/// </summary>
internal static class HistorySlots
{
    /// <summary>
    /// Fills <paramref name="target"/> with the slots of the latest items of <paramref name="positions"/> (item
    /// positions, oldest first), skipping one occurrence of <paramref name="skipPosition"/> (the training target).
    /// </summary>
    /// <param name="target">[historyLength] slots to fill; cleared first.</param>
    /// <param name="positions">The user's item positions in time order.</param>
    /// <param name="slotOfPosition">Item id slot of each item position.</param>
    /// <param name="skipPosition">Item position to leave out once, or -1.</param>
    public static void FillFromPositions(Span<long> target, IReadOnlyList<int> positions, long[] slotOfPosition, int skipPosition = -1)
    {
        target.Clear();
        var n = 0;
        var skipped = skipPosition < 0;
        for (var j = positions.Count - 1; j >= 0 && n < target.Length; j--)
        {
            var position = positions[j];
            if (!skipped && position == skipPosition)
            {
                skipped = true;
                continue;
            }

            target[n++] = slotOfPosition[position];
        }
    }

    /// <summary>Fills <paramref name="target"/> with the slots of the latest positive items of <paramref name="history"/> (oldest first).</summary>
    /// <param name="target">[historyLength] slots to fill; cleared first.</param>
    /// <param name="history">The user's recent interactions, oldest first (non-positive ones are skipped).</param>
    /// <param name="items">The item encoder whose id slots the history table is indexed by.</param>
    public static void FillFromInteractions(Span<long> target, IReadOnlyList<Interaction> history, FeatureEncoder items)
    {
        target.Clear();
        var n = 0;
        for (var j = history.Count - 1; j >= 0 && n < target.Length; j--)
        {
            if (!history[j].IsPositive)
            {
                continue;
            }

            var slot = items.IdSlot(history[j].ItemId);
            if (slot != 0)
            {
                target[n++] = slot;
            }
        }
    }

    /// <summary>History slots of every user position from its training positives ([users * length]).</summary>
    public static long[] ForUsers(IReadOnlyList<int[]> seenByUser, long[] slotOfPosition, int length)
    {
        var slots = new long[(long)seenByUser.Count * length];
        for (var u = 0; u < seenByUser.Count; u++)
        {
            FillFromPositions(slots.AsSpan(u * length, length), seenByUser[u], slotOfPosition);
        }

        return slots;
    }
}

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Lookup of an id in an ascending array of distinct ids: a guess by interpolation between the first and last id,
/// then galloping away from the guess to bracket the id, then a binary search of the bracket. Ids that are dense or
/// evenly spread (the usual catalogue) are found in one or two reads; any other spread costs at most about twice a
/// binary search. At a million ids a plain binary search is twenty dependent reads, most of them cache misses, and the
/// online recall looks up each of a user's history items in every neighbourhood channel.
/// </summary>
internal static class SortedIds
{
    /// <summary>Position of <paramref name="id"/> in <paramref name="ids"/> (ascending, distinct), or -1.</summary>
    public static int IndexOf(long[] ids, long id)
    {
        var n = ids.Length;
        if (n == 0 || id < ids[0] || id > ids[n - 1])
        {
            return -1;
        }

        var range = (double)ids[n - 1] - ids[0];
        var guess = range > 0 ? (int)Math.Clamp(((double)id - ids[0]) / range * (n - 1), 0, n - 1) : 0;
        var at = ids[guess];
        if (at == id)
        {
            return guess;
        }

        // The bracket [lo, hi] that must hold the id if it is present, doubling the distance from the guess.
        int lo, hi;
        long step = 1;
        if (at < id)
        {
            lo = guess + 1;
            hi = (int)Math.Min(guess + step, n - 1);
            while (hi < n - 1 && ids[hi] < id)
            {
                lo = hi + 1;
                step <<= 1;
                hi = (int)Math.Min(guess + step, n - 1);
            }
        }
        else
        {
            hi = guess - 1;
            lo = (int)Math.Max(guess - step, 0);
            while (lo > 0 && ids[lo] > id)
            {
                hi = lo - 1;
                step <<= 1;
                lo = (int)Math.Max(guess - step, 0);
            }
        }

        if (lo > hi)
        {
            return -1;
        }

        var p = Array.BinarySearch(ids, lo, hi - lo + 1, id);
        return p >= 0 ? p : -1;
    }
}

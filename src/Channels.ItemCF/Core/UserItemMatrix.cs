namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The training snapshot as dense sparse arrays: every user's distinct liked items (summed like, newest first, capped
/// at <see cref="NeighbourhoodOptions.MaxHistoryPerUser"/>) and the transpose, every item's users (ascending). Dense
/// positions follow <see cref="Data.IdIndex"/> (ascending external ids). Events with a like of 0 (impressions,
/// zero-weight types) are ignored.
/// </summary>
internal sealed class UserItemMatrix
{
    private UserItemMatrix(long[] userIds, long[] itemIds, int[] userOffsets, int[] userItems, float[] userLikes)
    {
        UserIds = userIds;
        ItemIds = itemIds;
        UserOffsets = userOffsets;
        UserItems = userItems;
        UserLikes = userLikes;
        (ItemOffsets, ItemUsers, ItemLikes) = Transpose(userOffsets, userItems, userLikes, itemIds.Length);
    }

    /// <summary>External user ids by dense position (ascending).</summary>
    public long[] UserIds { get; }

    /// <summary>External item ids by dense position (ascending).</summary>
    public long[] ItemIds { get; }

    /// <summary>User row offsets (users + 1).</summary>
    public int[] UserOffsets { get; }

    /// <summary>Items of each user, most recent first.</summary>
    public int[] UserItems { get; }

    /// <summary>like(user, item) aligned with <see cref="UserItems"/>.</summary>
    public float[] UserLikes { get; }

    /// <summary>Item row offsets (items + 1).</summary>
    public int[] ItemOffsets { get; }

    /// <summary>Users of each item, ascending.</summary>
    public int[] ItemUsers { get; }

    /// <summary>like(user, item) aligned with <see cref="ItemUsers"/>.</summary>
    public float[] ItemLikes { get; }

    /// <summary>Number of users.</summary>
    public int UserCount => UserIds.Length;

    /// <summary>Number of items.</summary>
    public int ItemCount => ItemIds.Length;

    /// <summary>Number of (user, item) pairs kept.</summary>
    public int PairCount => UserItems.Length;

    /// <summary>Number of items of user <paramref name="u"/>.</summary>
    public int UserDegree(int u) => UserOffsets[u + 1] - UserOffsets[u];

    /// <summary>Number of users of item <paramref name="i"/>.</summary>
    public int ItemDegree(int i) => ItemOffsets[i + 1] - ItemOffsets[i];

    /// <summary>Builds the matrix from the positive events of <paramref name="interactions"/>.</summary>
    public static UserItemMatrix Build(Interaction[] interactions, NeighbourhoodOptions options, int threads, CancellationToken cancellationToken)
    {
        var likeModel = new LikeModel(options);
        long reference = long.MinValue;
        var positives = 0;
        foreach (ref readonly var e in interactions.AsSpan())
        {
            if (e.IsPositive)
            {
                reference = Math.Max(reference, e.Timestamp);
                positives++;
            }
        }

        var userKeys = new long[positives];
        var itemKeys = new long[positives];
        var positiveAt = new int[positives];
        var n = 0;
        for (var k = 0; k < interactions.Length; k++)
        {
            if (interactions[k].IsPositive)
            {
                userKeys[n] = interactions[k].UserId;
                itemKeys[n] = interactions[k].ItemId;
                positiveAt[n++] = k;
            }
        }

        long[] userIds = [], itemIds = [];
        Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            () => userIds = SortedUnique(userKeys),
            () => itemIds = SortedUnique(itemKeys));
        var counts = new int[userIds.Length + 1];
        var evUser = new int[positives];
        var evItem = new int[positives];
        var evLike = new float[positives];
        var evTime = new long[positives];
        const int Block = 1 << 16;
        Parallel.For(0, (positives + Block - 1) / Block, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, block =>
        {
            var end = Math.Min(positives, (block + 1) * Block);
            for (var p = block * Block; p < end; p++)
            {
                ref readonly var e = ref interactions[positiveAt[p]];
                evUser[p] = Array.BinarySearch(userIds, e.UserId);
                evItem[p] = Array.BinarySearch(itemIds, e.ItemId);
                evLike[p] = likeModel.Like(e, reference);
                evTime[p] = e.Timestamp;
            }
        });
        positiveAt = null!;
        foreach (var u in evUser)
        {
            counts[u + 1]++;
        }

        for (var u = 0; u < userIds.Length; u++)
        {
            counts[u + 1] += counts[u];
        }

        var rawOffsets = (int[])counts.Clone();
        var cursor = (int[])counts.Clone();
        var entries = new Entry[positives];
        for (var k = 0; k < positives; k++)
        {
            entries[cursor[evUser[k]]++] = new Entry(evItem[k], evLike[k], evTime[k]);
        }

        evUser = evItem = null!;
        evLike = null!;
        evTime = null!;
        var kept = new int[userIds.Length];
        var cap = options.MaxHistoryPerUser;
        Parallel.For(0, userIds.Length, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, u =>
        {
            var span = entries.AsSpan(rawOffsets[u], rawOffsets[u + 1] - rawOffsets[u]);
            span.Sort(static (a, b) => a.Item.CompareTo(b.Item));
            var m = 0;
            for (var k = 0; k < span.Length; k++)
            {
                if (m > 0 && span[m - 1].Item == span[k].Item)
                {
                    var prev = span[m - 1];
                    span[m - 1] = new Entry(prev.Item, prev.Like + span[k].Like, Math.Max(prev.Time, span[k].Time));
                }
                else
                {
                    span[m++] = span[k];
                }
            }

            var w = 0;
            for (var k = 0; k < m; k++)
            {
                if (span[k].Like > 0)
                {
                    span[w++] = span[k];
                }
            }

            span = span[..w];
            span.Sort(static (a, b) => a.Time != b.Time ? b.Time.CompareTo(a.Time) : a.Item.CompareTo(b.Item));
            kept[u] = Math.Min(w, cap);
        });

        var offsets = new int[userIds.Length + 1];
        for (var u = 0; u < userIds.Length; u++)
        {
            offsets[u + 1] = offsets[u] + kept[u];
        }

        var items = new int[offsets[^1]];
        var likes = new float[offsets[^1]];
        for (var u = 0; u < userIds.Length; u++)
        {
            for (var k = 0; k < kept[u]; k++)
            {
                var entry = entries[rawOffsets[u] + k];
                items[offsets[u] + k] = entry.Item;
                likes[offsets[u] + k] = entry.Like;
            }
        }

        return new UserItemMatrix(userIds, itemIds, offsets, items, likes);
    }

    /// <summary>
    /// The item → users index with at most <paramref name="maxUsersPerItem"/> users per item: hot items keep the users
    /// with the smallest <see cref="Hash"/>(seed, user, item), so the sample is deterministic. Users stay ascending.
    /// </summary>
    public (int[] Offsets, int[] Users) SampleItemUsers(int maxUsersPerItem, int seed)
    {
        var offsets = new int[ItemCount + 1];
        for (var i = 0; i < ItemCount; i++)
        {
            offsets[i + 1] = offsets[i] + Math.Min(ItemDegree(i), maxUsersPerItem);
        }

        if (offsets[^1] == ItemUsers.Length)
        {
            return (ItemOffsets, ItemUsers);
        }

        var users = new int[offsets[^1]];
        ulong[] keys = [];
        for (var i = 0; i < ItemCount; i++)
        {
            var all = ItemUsers.AsSpan(ItemOffsets[i], ItemDegree(i));
            var target = users.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            if (all.Length <= maxUsersPerItem)
            {
                all.CopyTo(target);
                continue;
            }

            if (keys.Length < all.Length)
            {
                keys = new ulong[all.Length];
            }

            var buffer = all.ToArray();
            for (var k = 0; k < all.Length; k++)
            {
                keys[k] = Hash(seed, UserIds[all[k]], ItemIds[i]);
            }

            keys.AsSpan(0, all.Length).Sort(buffer.AsSpan());
            buffer.AsSpan(0, maxUsersPerItem).CopyTo(target);
            target.Sort();
        }

        return (offsets, users);
    }

    /// <summary>SplitMix64 finaliser over (seed, user, item): the sampling key.</summary>
    public static ulong Hash(int seed, long user, long item)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)user * 0xBF58476D1CE4E5B9UL ^ (ulong)item * 0x94D049BB133111EBUL);
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>The user → last-N index of the artifact (newest first, likes as values).</summary>
    public CsrMatrix LastN(int lastN)
    {
        var rowColumns = new int[]?[UserCount];
        var rowValues = new float[]?[UserCount];
        for (var u = 0; u < UserCount; u++)
        {
            var n = Math.Min(lastN, UserDegree(u));
            rowColumns[u] = UserItems.AsSpan(UserOffsets[u], n).ToArray();
            rowValues[u] = UserLikes.AsSpan(UserOffsets[u], n).ToArray();
        }

        return CsrMatrix.FromRows(UserIds, ItemIds, rowColumns, rowValues);
    }

    private static long[] SortedUnique(long[] keys)
    {
        Array.Sort(keys);
        var m = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            if (m == 0 || keys[m - 1] != keys[k])
            {
                keys[m++] = keys[k];
            }
        }

        return keys.AsSpan(0, m).ToArray();
    }

    private static (int[] Offsets, int[] Users, float[] Likes) Transpose(int[] userOffsets, int[] userItems, float[] userLikes, int itemCount)
    {
        var offsets = new int[itemCount + 1];
        foreach (var i in userItems)
        {
            offsets[i + 1]++;
        }

        for (var i = 0; i < itemCount; i++)
        {
            offsets[i + 1] += offsets[i];
        }

        var cursor = (int[])offsets.Clone();
        var users = new int[userItems.Length];
        var likes = new float[userItems.Length];
        for (var u = 0; u < userOffsets.Length - 1; u++)
        {
            for (var k = userOffsets[u]; k < userOffsets[u + 1]; k++)
            {
                var slot = cursor[userItems[k]]++;
                users[slot] = u;
                likes[slot] = userLikes[k];
            }
        }

        return (offsets, users, likes);
    }

    private readonly record struct Entry(int Item, float Like, long Time);
}

using System.Buffers;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The online scoring rules. Item-based (ItemCF, Swing): for each of the user's last-N items j, every neighbour c in
/// j's top-K list gets <c>like(user, j) · sim(c, j)</c>; a candidate's score sums over all last-N items whose lists
/// contain it (a pair outside the stored top-K counts 0). User-based (UserCF): for each of the user's top-K similar
/// users v, every item of v's last-N gets <c>sim(user, v) · like(v, item)</c>, summed. Both dedupe through one
/// accumulator — a table sized to the touched candidates (<see cref="SparseScores"/>), not an array the width of the
/// item space —, skip the user's own history (when configured) and <see cref="RecallRequest.Exclude"/>, and return the
/// top-k best first (ties: smaller item id). Variant parameters <c>last_n</c> and <c>neighbours</c> lower the last-N
/// and the neighbours read per history item (item-based) or the similar users read (user-based) for one request.
/// </summary>
internal static class NeighbourhoodRecall
{
    /// <summary>Request parameter: last-N items used for this request (≤ the artifact's last-N index).</summary>
    public const string LastNParameter = "last_n";

    /// <summary>Request parameter: neighbours read per history item (item-based) or similar users (user-based).</summary>
    public const string NeighboursParameter = "neighbours";

    /// <summary>Item-based recall over <paramref name="artifact"/>.</summary>
    public static RecallResult RecallByItems(CfArtifact artifact, RecallRequest request, NeighbourhoodOptions options, LikeModel likeModel)
    {
        var neighbours = artifact.Neighbours;
        var (lastN, limit) = Limits(request, options);
        var scratch = RecallScratch.Rent(neighbours.RowCount);
        CollectHistory(artifact, request, lastN, likeModel, scratch, options.RecencyHalfLife);
        var row = scratch.Scores;
        for (var h = 0; h < scratch.HistoryCount; h++)
        {
            var j = scratch.HistoryItems[h];
            var like = scratch.HistoryLike[j];
            var columns = neighbours.ColumnsOf(j);
            var sims = neighbours.ValuesOf(j);
            var count = Math.Min(columns.Length, limit);
            for (var n = 0; n < count; n++)
            {
                var contribution = like * sims[n];
                if (contribution > 0)
                {
                    row.Add(columns[n], contribution);
                }
            }
        }

        if (options.ExcludeHistoryItems)
        {
            DropHistoryItems(scratch);
        }

        return Select(scratch, neighbours.ColumnIds, request, artifact.Version);
    }

    /// <summary>
    /// Adds <c>sim · like(v, item)</c> for the newest <paramref name="lastN"/> items of history row <paramref name="v"/>
    /// (skipping the requesting user's own items, stamped with <paramref name="generation"/>, when asked to).
    /// </summary>
    internal static void AddItemsOfUser(RecallScratch scratch, CsrMatrix history, int v, float sim, int lastN, bool excludeHistoryItems, int generation)
    {
        var row = scratch.Scores;
        var stamp = scratch.Stamp;
        var items = history.ColumnsOf(v);
        var likes = history.ValuesOf(v);
        var count = Math.Min(items.Length, lastN);
        for (var k = 0; k < count; k++)
        {
            var item = items[k];
            if (excludeHistoryItems && stamp[item] == generation)
            {
                continue;
            }

            var contribution = sim * likes[k];
            if (contribution > 0)
            {
                row.Add(item, contribution);
            }
        }
    }

    /// <summary>User-based recall over <paramref name="artifact"/>.</summary>
    public static RecallResult RecallByUsers(CfArtifact artifact, RecallRequest request, NeighbourhoodOptions options, LikeModel likeModel)
    {
        var history = artifact.History;
        var neighbours = artifact.Neighbours;
        var (lastN, limit) = Limits(request, options);
        var scratch = RecallScratch.Rent(history.ColumnIds.Length);
        var generation = CollectHistory(artifact, request, lastN, likeModel, scratch);
        var user = neighbours.RowOf(request.UserId);
        if (user < 0)
        {
            return new RecallResult([]) { Version = artifact.Version };
        }

        var similar = neighbours.ColumnsOf(user);
        var sims = neighbours.ValuesOf(user);
        var users = Math.Min(similar.Length, limit);
        for (var n = 0; n < users; n++)
        {
            AddItemsOfUser(scratch, history, similar[n], sims[n], lastN, excludeHistoryItems: false, generation);
        }

        if (options.ExcludeHistoryItems)
        {
            DropHistoryItems(scratch);
        }

        return Select(scratch, history.ColumnIds, request, artifact.Version);
    }

    /// <summary>
    /// Marks the user's last-N distinct items (positions in the item space) with their likes: from
    /// <see cref="RecallRequest.History"/> when it is non-empty (newest last; duplicates sum; decay relative to the
    /// request time, or to the newest event when the request carries none), else from the artifact's last-N index.
    /// </summary>
    /// <remarks>
    /// With a positive <c>recencyHalfLife</c> (<see cref="NeighbourhoodOptions.RecencyHalfLife"/>) the like of the k-th
    /// distinct item met (newest first, k from 0) is multiplied by <c>0.5^(k / half-life)</c>.
    /// </remarks>
    /// <returns>The stamp generation marking history items.</returns>
    internal static int CollectHistory(CfArtifact artifact, RecallRequest request, int lastN, LikeModel likeModel, RecallScratch scratch, double recencyHalfLife = 0)
    {
        var stamp = scratch.Stamp;
        var generation = scratch.NextGeneration();
        var items = artifact.History;
        if (request.History.Count > 0)
        {
            var events = request.History;
            var reference = request.Time > DateTimeOffset.UnixEpoch ? request.Time.ToUnixTimeSeconds() : events[^1].Timestamp;
            for (var e = events.Count - 1; e >= 0; e--)
            {
                var interaction = events[e];
                var position = items.ColumnOf(interaction.ItemId);
                if (position < 0)
                {
                    continue;
                }

                var like = likeModel.Like(interaction, reference);
                if (stamp[position] == generation)
                {
                    // A repeat of an item already met weighs as that item: its rank among the distinct items.
                    scratch.HistoryLike[position] += like * Recency(Array.IndexOf(scratch.HistoryItems, position, 0, scratch.HistoryCount), recencyHalfLife);
                }
                else if (scratch.HistoryCount < lastN)
                {
                    stamp[position] = generation;
                    scratch.HistoryLike[position] = like * Recency(scratch.HistoryCount, recencyHalfLife);
                    scratch.AddHistory(position);
                }
            }

            return generation;
        }

        var user = items.RowOf(request.UserId);
        if (user >= 0)
        {
            var columns = items.ColumnsOf(user);
            var likes = items.ValuesOf(user);
            var count = Math.Min(columns.Length, lastN);
            for (var k = 0; k < count; k++)
            {
                stamp[columns[k]] = generation;
                scratch.HistoryLike[columns[k]] = likes[k] * Recency(k, recencyHalfLife);
                scratch.AddHistory(columns[k]);
            }
        }

        return generation;
    }

    /// <summary>
    /// Zeroes the accumulated score of every history item, which <see cref="Select"/> then skips: the same answer as
    /// checking each contribution's stamp, without a read of the dense stamp array per contribution (at 1M items it is
    /// far larger than the cache, so each check was a miss). Call after the last <see cref="SparseScores.Add"/>.
    /// </summary>
    internal static void DropHistoryItems(RecallScratch scratch)
    {
        var scores = scratch.Scores;
        var history = scratch.HistoryItems;
        for (var h = 0; h < scratch.HistoryCount; h++)
        {
            scores.Zero(history[h]);
        }
    }

    /// <summary>The recency weight <c>0.5^(rank / halfLife)</c> of the rank-th newest distinct history item (1 when the half-life is 0).</summary>
    internal static float Recency(int rank, double halfLife) => halfLife > 0 ? (float)Math.Pow(0.5, rank / halfLife) : 1f;

    /// <summary>Effective last-N and neighbour limit: the options, lowered by the request's parameters.</summary>
    /// <exception cref="RecFrameworkException">A parameter is not a positive integer (<see cref="RecError.InvalidArgument"/>).</exception>
    internal static (int LastN, int Neighbours) Limits(RecallRequest request, NeighbourhoodOptions options)
    {
        var lastN = options.LastN;
        var neighbours = int.MaxValue;
        if (request.Parameters.Count > 0)
        {
            lastN = Math.Min(lastN, Parse(request, LastNParameter) ?? lastN);
            neighbours = Parse(request, NeighboursParameter) ?? neighbours;
        }

        return (lastN, neighbours);
    }

    private static int? Parse(RecallRequest request, string key)
    {
        if (!request.Parameters.TryGetValue(key, out var text))
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new RecFrameworkException(RecError.InvalidArgument, $"Request parameter '{key}' = '{text}' is not a positive integer.");
    }

    /// <summary>
    /// Top <c>request.K</c> of the accumulated positive scores (a zeroed score, see <see cref="DropHistoryItems"/>, is
    /// skipped), skipping excluded items.
    /// </summary>
    internal static RecallResult Select(RecallScratch scratch, long[] itemIds, RecallRequest request, string version)
    {
        var k = request.K;
        var accumulated = scratch.Scores;
        var fetch = (int)Math.Min((long)k + request.Exclude.Count, accumulated.Count);
        var keys = scratch.Keys(fetch);
        var n = accumulated.Top(fetch, keys);
        var result = ArrayPool<ScoredItem>.Shared.Rent(Math.Max(1, Math.Min(k, n)));
        var count = 0;
        for (var i = 0; i < n && count < k; i++)
        {
            var id = itemIds[SparseScores.ColumnOf(keys[i])];
            if (request.Exclude.Count == 0 || !request.Exclude.Contains(id))
            {
                result[count++] = new ScoredItem(id, SparseScores.ScoreOf(keys[i]));
            }
        }

        return RecallResult.FromPool(result, count, version);
    }
}

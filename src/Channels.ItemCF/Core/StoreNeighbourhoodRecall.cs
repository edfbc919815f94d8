using RecFramework.Stores;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// The scoring rules of <see cref="NeighbourhoodRecall"/> with the neighbour lists read from an
/// <see cref="INeighbourListStore"/> (one batched read per request) instead of the in-process index. History,
/// likes, accumulation order and selection are the same code and the same order, so for a published artifact the
/// results are identical to the in-process path, scores bit for bit.
/// </summary>
/// <remarks>
/// The scratch (<see cref="RecallScratch"/>) is per thread and the read is awaited, so a request collects its history on one thread (to know
/// which lists to read), awaits the store, then collects it again (deterministically, cheap) and accumulates
/// synchronously on the thread it resumed on.
/// </remarks>
internal static class StoreNeighbourhoodRecall
{
    /// <summary>Item-based recall (ItemCF, Swing) over <paramref name="artifact"/> with lists from <paramref name="store"/>.</summary>
    /// <exception cref="RecFrameworkException">The version is not published in the store (<see cref="RecError.ChannelNotReady"/>).</exception>
    public static async ValueTask<RecallResult> RecallByItemsAsync(INeighbourListStore store, string channel, CfArtifact artifact, RecallRequest request, CancellationToken cancellationToken)
    {
        var ids = HistoryRowIds(artifact, request);
        var lists = ids.Length == 0 ? [] : await ReadAsync(store, channel, artifact, ids, cancellationToken).ConfigureAwait(false);
        return ScoreByItems(artifact, request, ids, lists);
    }

    /// <summary>User-based recall (UserCF) over <paramref name="artifact"/> with the user's list from <paramref name="store"/>.</summary>
    /// <exception cref="RecFrameworkException">The version is not published in the store (<see cref="RecError.ChannelNotReady"/>).</exception>
    public static async ValueTask<RecallResult> RecallByUsersAsync(INeighbourListStore store, string channel, CfArtifact artifact, RecallRequest request, CancellationToken cancellationToken)
    {
        _ = NeighbourhoodRecall.Limits(request, artifact.Options);
        if (artifact.Neighbours.RowOf(request.UserId) < 0)
        {
            return new RecallResult([]) { Version = artifact.Version };
        }

        var lists = await ReadAsync(store, channel, artifact, [request.UserId], cancellationToken).ConfigureAwait(false);
        return ScoreByUsers(artifact, request, lists[0] ?? NeighbourList.Empty);
    }

    private static async ValueTask<NeighbourList?[]> ReadAsync(INeighbourListStore store, string channel, CfArtifact artifact, long[] ids, CancellationToken cancellationToken) =>
        await store.GetAsync(channel, artifact.Version, ids, cancellationToken).ConfigureAwait(false)
        ?? throw new RecFrameworkException(RecError.ChannelNotReady, $"Channel '{channel}': neighbour lists of version {artifact.Version} are not published in the store.");

    /// <summary>External ids of the user's last-N history items, in the order the scoring visits them.</summary>
    private static long[] HistoryRowIds(CfArtifact artifact, RecallRequest request)
    {
        var (lastN, _) = NeighbourhoodRecall.Limits(request, artifact.Options);
        var neighbours = artifact.Neighbours;
        var scratch = RecallScratch.Rent(neighbours.RowCount);
        NeighbourhoodRecall.CollectHistory(artifact, request, lastN, artifact.LikeModel, scratch, artifact.Options.RecencyHalfLife);
        var ids = new long[scratch.HistoryCount];
        for (var h = 0; h < ids.Length; h++)
        {
            ids[h] = neighbours.RowIds[scratch.HistoryItems[h]];
        }

        return ids;
    }

    private static RecallResult ScoreByItems(CfArtifact artifact, RecallRequest request, long[] ids, NeighbourList?[] lists)
    {
        var options = artifact.Options;
        var neighbours = artifact.Neighbours;
        var (lastN, limit) = NeighbourhoodRecall.Limits(request, options);
        var scratch = RecallScratch.Rent(neighbours.RowCount);
        var generation = NeighbourhoodRecall.CollectHistory(artifact, request, lastN, artifact.LikeModel, scratch, options.RecencyHalfLife);
        var row = scratch.Scores;
        for (var h = 0; h < scratch.HistoryCount; h++)
        {
            var j = scratch.HistoryItems[h];
            if (h >= ids.Length || neighbours.RowIds[j] != ids[h])
            {
                throw new InvalidOperationException($"History of user {request.UserId} changed between the two passes of one request.");
            }

            if (lists[h] is not { } list)
            {
                continue;
            }

            var like = scratch.HistoryLike[j];
            var neighbourIds = list.Ids;
            var sims = list.Scores;
            var count = Math.Min(neighbourIds.Length, limit);
            for (var n = 0; n < count; n++)
            {
                var c = neighbours.ColumnOf(neighbourIds[n]);
                if (c < 0 || (options.ExcludeHistoryItems && scratch.Stamp[c] == generation))
                {
                    continue;
                }

                var contribution = like * sims[n];
                if (contribution > 0)
                {
                    row.Add(c, contribution);
                }
            }
        }

        return NeighbourhoodRecall.Select(scratch, neighbours.ColumnIds, request, artifact.Version);
    }

    private static RecallResult ScoreByUsers(CfArtifact artifact, RecallRequest request, NeighbourList similar)
    {
        var options = artifact.Options;
        var history = artifact.History;
        var (lastN, limit) = NeighbourhoodRecall.Limits(request, options);
        var scratch = RecallScratch.Rent(history.ColumnIds.Length);
        var generation = NeighbourhoodRecall.CollectHistory(artifact, request, lastN, artifact.LikeModel, scratch);
        var userIds = similar.Ids;
        var sims = similar.Scores;
        var users = Math.Min(userIds.Length, limit);
        for (var n = 0; n < users; n++)
        {
            var v = history.RowOf(userIds[n]);
            if (v < 0)
            {
                continue;
            }

            NeighbourhoodRecall.AddItemsOfUser(scratch, history, v, sims[n], lastN, options.ExcludeHistoryItems, generation);
        }

        return NeighbourhoodRecall.Select(scratch, history.ColumnIds, request, artifact.Version);
    }
}

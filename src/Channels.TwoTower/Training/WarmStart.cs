using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Warm start for full and incremental updates: the previous version's encoders are kept (feature slots keep their
/// meaning) with the id vocabularies extended by the new period's ids, and every weight is copied from the previous
/// model (id tables row by row into the prefix). A new item's id row starts from the mean row of the known items its
/// users clicked in the update's data (<see cref="SeedNewItemRows"/>); other new ids start from a small random init.
/// </summary>
internal static class WarmStart
{
    /// <summary>An encoder equal to <paramref name="previous"/> with the unseen <paramref name="ids"/> appended to its id vocabulary.</summary>
    public static FeatureEncoder Extend(FeatureEncoder previous, IEnumerable<long> ids)
    {
        if (previous.IdHashBuckets > 0)
        {
            return previous;
        }

        var known = previous.IdVocabulary.ToHashSet();
        var added = ids.Where(known.Add).Order().ToArray();
        var copy = FeatureEncoder.FromJson(previous.ToJson());
        copy.IdVocabulary = [.. previous.IdVocabulary, .. added];
        copy.Refresh();
        return copy;
    }

    /// <summary>
    /// Starts each new item's id row (slots from <paramref name="knownSlots"/> on, i.e. appended by <see cref="Extend"/>)
    /// from the mean row of the known items clicked by the users who clicked it in <paramref name="positives"/> — the
    /// course's cold-start advice (a new item's embedding from similar items) with co-clicks as the similarity. An
    /// update trains a time-ordered window once, and a new item's first clicks usually share a batch: from a random
    /// row, one sparse Adagrad step cannot carry it near its audience among a million items (bench freshness: not in
    /// any clicker's top 10,000 after one cycle). Items whose users clicked no known item keep their random row.
    /// </summary>
    /// <returns>How many new item rows were seeded.</returns>
    public static int SeedNewItemRows(TwoTowerModel model, FeatureEncoder itemEncoder, long knownSlots, IReadOnlyList<Interaction> positives)
    {
        if (model.Item.IdTable?.weight is not { } table || itemEncoder.IdHashBuckets > 0 || knownSlots >= itemEncoder.IdSlots)
        {
            return 0;
        }

        // Two passes: the users who clicked a new item and what they clicked new, then the known items of those users
        // only (a full update's data holds every user; most clicked nothing new).
        var fresh = new Dictionary<long, HashSet<long>>();
        foreach (var e in positives)
        {
            if (itemEncoder.IdSlot(e.ItemId) is var slot && slot >= knownSlots)
            {
                Add(fresh, e.UserId, slot);
            }
        }

        var known = new Dictionary<long, HashSet<long>>();
        foreach (var e in positives)
        {
            if (fresh.ContainsKey(e.UserId) && itemEncoder.IdSlot(e.ItemId) is var slot && slot > 0 && slot < knownSlots)
            {
                Add(known, e.UserId, slot);
            }
        }

        // Per new item: every known slot its users clicked (a slot counted once per user who clicked it).
        var neighbours = new SortedDictionary<long, List<long>>();
        foreach (var (user, newSlots) in fresh)
        {
            if (!known.TryGetValue(user, out var knownOfUser))
            {
                continue;
            }

            foreach (var item in newSlots)
            {
                if (!neighbours.TryGetValue(item, out var list))
                {
                    neighbours[item] = list = [];
                }

                list.AddRange(knownOfUser.Order());
            }
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (item, slots) in neighbours)
        {
            using var rows = torch.tensor(slots.ToArray());
            table[item].copy_(table.index_select(0, rows).mean([0]));
        }

        return neighbours.Count;

        static void Add(Dictionary<long, HashSet<long>> into, long user, long slot)
        {
            if (!into.TryGetValue(user, out var slots))
            {
                into[user] = slots = [];
            }

            slots.Add(slot);
        }
    }

    /// <summary>Copies <paramref name="previous"/>'s weights into <paramref name="next"/> (tables may have grown).</summary>
    public static void Copy(TwoTowerModel previous, TwoTowerModel next)
    {
        var source = previous.state_dict();
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in next.state_dict())
        {
            if (!source.TryGetValue(name, out var from))
            {
                continue;
            }

            if (from.shape.SequenceEqual(target.shape))
            {
                target.copy_(from);
            }
            else if (from.dim() == 2 && target.dim() == 2 && from.shape[1] == target.shape[1] && from.shape[0] <= target.shape[0])
            {
                target.narrow(0, 0, from.shape[0]).copy_(from);
            }
            else
            {
                throw new RecFrameworkException(RecError.InvalidConfiguration,
                    $"Cannot warm-start '{name}': previous shape [{string.Join(", ", from.shape)}], new shape [{string.Join(", ", target.shape)}]. Changing dimensions needs a fresh build.");
            }
        }
    }
}

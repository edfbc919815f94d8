using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

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
    /// <remarks>
    /// One sort of the update's (user, slot) clicks puts each user's distinct known and new items side by side; each
    /// user's known rows are summed once and added to the sum of every new item the user clicked. Linear in the clicks
    /// and the table width (a full update at 1M users × 1M items × 10M events seeded row by row through libtorch took
    /// 83 s; the table is read and written in place).
    /// </remarks>
    public static unsafe int SeedNewItemRows(TwoTowerModel model, FeatureEncoder itemEncoder, long knownSlots, IReadOnlyList<Interaction> positives)
    {
        if (model.Item.IdTable?.weight is not { } table || itemEncoder.IdHashBuckets > 0 || knownSlots >= itemEncoder.IdSlots)
        {
            return 0;
        }

        // (user, slot) of every click on an item with a slot, as one sortable key: a user's clicks end up together,
        // known slots (below knownSlots) before new ones, repeats next to each other.
        var users = new Dictionary<long, int>();
        var pairs = new long[positives.Count];
        var n = 0;
        foreach (var e in positives)
        {
            var slot = itemEncoder.IdSlot(e.ItemId);
            if (slot <= 0)
            {
                continue;
            }

            if (!users.TryGetValue(e.UserId, out var user))
            {
                users[e.UserId] = user = users.Count;
            }

            pairs[n++] = ((long)user << 32) | slot;
        }

        Array.Sort(pairs, 0, n);
        n = Distinct(pairs.AsSpan(0, n));

        // Pass 1: which new items get a seed and over how many known rows (a known slot counted once per user).
        var compact = new Dictionary<long, int>();
        var counts = new List<long>();
        ForEachUser(pairs.AsSpan(0, n), knownSlots, (known, fresh) =>
        {
            foreach (var key in fresh)
            {
                var slot = key & uint.MaxValue;
                if (!compact.TryGetValue(slot, out var index))
                {
                    compact[slot] = index = compact.Count;
                    counts.Add(0);
                }

                counts[index] += known.Length;
            }
        });
        if (compact.Count == 0)
        {
            return 0;
        }

        // Pass 2: each user's known rows summed once, added to each of the user's new items; then the means written.
        using var weights = table.detach();
        if (weights.dtype != TorchSharp.torch.ScalarType.Float32 || !weights.is_contiguous() || weights.device_type != DeviceType.CPU)
        {
            throw new InvalidOperationException("Item id table is expected as a contiguous float32 CPU tensor.");
        }

        var width = (int)weights.shape[1];
        using var first = weights.narrow(0, 0, 1);
        var rows = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes)); // the table's native storage, in place
        var sums = new double[(long)compact.Count * width];
        var userSum = new double[width];
        ForEachUser(pairs.AsSpan(0, n), knownSlots, (known, fresh) =>
        {
            Array.Clear(userSum);
            foreach (var key in known)
            {
                var row = new ReadOnlySpan<float>((float*)rows + ((key & uint.MaxValue) * width), width);
                for (var d = 0; d < width; d++)
                {
                    userSum[d] += row[d];
                }
            }

            foreach (var key in fresh)
            {
                var sum = sums.AsSpan(compact[key & uint.MaxValue] * width, width);
                for (var d = 0; d < width; d++)
                {
                    sum[d] += userSum[d];
                }
            }
        });
        foreach (var (slot, index) in compact)
        {
            var row = new Span<float>((float*)rows + (slot * width), width);
            var sum = sums.AsSpan(index * width, width);
            for (var d = 0; d < width; d++)
            {
                row[d] = (float)(sum[d] / counts[index]);
            }
        }

        return compact.Count;

        static int Distinct(Span<long> sorted)
        {
            var kept = 0;
            for (var i = 0; i < sorted.Length; i++)
            {
                if (kept == 0 || sorted[i] != sorted[kept - 1])
                {
                    sorted[kept++] = sorted[i];
                }
            }

            return kept;
        }
    }

    /// <summary>Calls <paramref name="user"/> with each user's known and new slot keys (only users with both).</summary>
    private static void ForEachUser(ReadOnlySpan<long> pairs, long knownSlots, KnownAndNew user)
    {
        var start = 0;
        while (start < pairs.Length)
        {
            var owner = pairs[start] >> 32;
            var end = start;
            var split = -1;
            while (end < pairs.Length && pairs[end] >> 32 == owner)
            {
                if (split < 0 && (pairs[end] & uint.MaxValue) >= knownSlots)
                {
                    split = end;
                }

                end++;
            }

            if (split > start)
            {
                user(pairs[start..split], pairs[split..end]);
            }

            start = end;
        }
    }

    private delegate void KnownAndNew(ReadOnlySpan<long> known, ReadOnlySpan<long> fresh);

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

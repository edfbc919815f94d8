using System.IO.Hashing;
using System.Text;

namespace RecFramework.Experiments.Interleaving;

/// <summary>
/// Team-draft interleaving (Radlinski, Kurup &amp; Joachims, CIKM 2008) and its generalisation to more than two rankings,
/// team-draft multileaving (Schuth et al., CIKM 2014). The merged list is built in rounds: each round draws a random
/// order of the teams (for two teams, a coin flip decides who picks first); in that order every team picks its
/// highest-ranked item not yet in the list, and the item remembers the team that placed it. A team whose ranking is
/// used up is skipped. The randomness comes from a seed (<see cref="Seed"/>), so the same seed always gives the same list.
/// </summary>
public static class TeamDraft
{
    /// <summary>Merges <paramref name="rankings"/> (one per team, best first) into at most <paramref name="k"/> items.</summary>
    /// <param name="rankings">The teams' rankings; an item may appear in several (it is placed once, by whichever team takes it first).</param>
    /// <param name="k">Most items in the merged list.</param>
    /// <param name="seed">Seed of the rounds' team orders.</param>
    /// <exception cref="ArgumentException">Fewer than one ranking.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    public static InterleavedList Merge(IReadOnlyList<IReadOnlyList<long>> rankings, int k, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (rankings.Count == 0)
        {
            throw new ArgumentException("At least one ranking is needed.", nameof(rankings));
        }

        var teams = rankings.Count;
        var items = new List<long>(k);
        var placedBy = new List<int>(k);
        var taken = new HashSet<long>();
        var next = new int[teams];
        var order = new int[teams];
        var random = new SplitMix64(seed);
        var picked = true;
        while (items.Count < k && picked)
        {
            picked = false;
            for (var t = 0; t < teams; t++)
            {
                order[t] = t;
            }

            for (var i = teams - 1; i > 0; i--)
            {
                var j = random.Below(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            foreach (var team in order)
            {
                if (items.Count >= k)
                {
                    break;
                }

                var ranking = rankings[team];
                while (next[team] < ranking.Count && taken.Contains(ranking[next[team]]))
                {
                    next[team]++;
                }

                if (next[team] < ranking.Count)
                {
                    var item = ranking[next[team]++];
                    taken.Add(item);
                    items.Add(item);
                    placedBy.Add(team);
                    picked = true;
                }
            }
        }

        return new InterleavedList(items, placedBy);
    }

    /// <summary>
    /// The seed of a request: the XxHash64 (seed 0) of the UTF-8 text "{userId}:{requestId}". A replay of the same user
    /// and request id merges the same list.
    /// </summary>
    public static ulong Seed(long userId, string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{userId}:{requestId}")));
    }

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014): small, fast and the same on every platform and runtime.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public int Below(int n)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)((z >> 11) * (double)n / (1UL << 53));
        }
    }
}

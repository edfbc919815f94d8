using RecFramework.Channels;

namespace RecFramework.Pipeline;

/// <summary>
/// Draws the <see cref="RecallPipelineOptions.UnservedCandidates"/> sample: candidates the channels returned that the
/// filters let through but the merge did not serve (ranked below the k served items), uniformly by reservoir sampling.
/// </summary>
public static class UnservedCandidates
{
    /// <summary>Up to <paramref name="count"/> distinct unserved candidates, or an empty list when there are none.</summary>
    /// <param name="results">Each channel's answer (null when it failed), fallback fill excluded.</param>
    /// <param name="exclude">Items the pipeline filters out (history, blocked, disliked): never drawn.</param>
    /// <param name="served">The served answer.</param>
    /// <param name="count">Largest sample.</param>
    /// <param name="random">Source of the draws.</param>
    public static IReadOnlyList<long> Sample(ReadOnlySpan<(RecallResult? Result, ChannelOutcome Outcome)> results, IReadOnlySet<long> exclude, IReadOnlyList<RecommendedItem> served, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(exclude);
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var skip = new HashSet<long>(served.Count);
        foreach (var item in served)
        {
            skip.Add(item.ItemId);
        }

        var sample = new List<long>(count);
        var seen = 0;
        foreach (var (result, _) in results)
        {
            if (result is null)
            {
                continue;
            }

            foreach (var candidate in result.Items)
            {
                if (exclude.Contains(candidate.ItemId) || !skip.Add(candidate.ItemId))
                {
                    continue;
                }

                seen++;
                if (sample.Count < count)
                {
                    sample.Add(candidate.ItemId);
                }
                else
                {
                    var slot = random.Next(seen);
                    if (slot < count)
                    {
                        sample[slot] = candidate.ItemId;
                    }
                }
            }
        }

        return sample;
    }
}

using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Warm start for full and incremental updates: the previous version's encoders are kept (feature slots keep their
/// meaning) with the id vocabularies extended by the new period's ids, and every weight is copied from the previous
/// model (id tables row by row into the prefix; new ids start from a small random init).
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

using RecFramework.Channels;
using RecFramework.Evaluation;
using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned.Tests;

/// <summary>
/// Seeded fusion examples where channel "a" is informative only when channel "b" agrees: a user's relevant items are
/// the items of a's top half that b also proposed. a alone ranks shared and unshared items alike, b's order says
/// nothing about relevance, so only a model of a's rank given b's agreement finds them.
/// </summary>
internal static class ConstructedData
{
    public const int ListLength = 100;

    public static FusionTrainingSet Examples(int users, int seed)
    {
        var random = new Random(seed);
        var examples = new List<FusionExample>();
        for (var u = 0; u < users; u++)
        {
            var user = seed * 100_000L + u;
            var a = Enumerable.Range(0, ListLength).Select(j => user * 1000 + j).ToArray();
            random.Shuffle(a);
            var shared = a.OrderBy(_ => random.Next()).Take(25).ToArray();
            var b = shared.Concat(Enumerable.Range(500, ListLength - shared.Length).Select(j => user * 1000 + j)).ToArray();
            random.Shuffle(b);
            var relevant = shared.Where(item => Array.IndexOf(a, item) < ListLength / 2).ToHashSet();
            var input = new FusionInput(user, 10, [List("a", a), List("b", b)]);
            examples.Add(new FusionExample(input, relevant));
        }

        var popularity = examples.SelectMany(e => e.Input.Lists.SelectMany(l => l.Items)).DistinctBy(i => i.ItemId).ToDictionary(i => i.ItemId, _ => 1.0);
        return new FusionTrainingSet(examples, popularity);
    }

    private static FusionList List(string channel, long[] items) =>
        new(channel, 1.0, items.Select((item, rank) => new ScoredItem(item, 1f - (rank / (float)ListLength))).ToArray());

    /// <summary>Mean Recall@k of <paramref name="rank"/>'s answers over <paramref name="data"/>'s examples with a relevant item.</summary>
    public static double Recall(FusionTrainingSet data, int k, Func<FusionInput, IEnumerable<long>> rank)
    {
        var scored = data.Examples.Where(e => e.Relevant.Count > 0).ToArray();
        return scored.Average(e => rank(e.Input).Take(k).Count(e.Relevant.Contains) / (double)Math.Min(k, e.Relevant.Count));
    }
}

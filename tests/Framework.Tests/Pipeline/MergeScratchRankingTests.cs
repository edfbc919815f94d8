using CsCheck;
using RecFramework.Pipeline;
using RecFramework.Testing;

namespace RecFramework.Tests.Pipeline;

/// <summary>
/// <see cref="MergeScratch.Ranked"/> orders only the slots an answer takes (a bounded heap when they are few): it must
/// give the first <c>take</c> slots of the full order — fused score descending, ties by first appearance — for any
/// number of candidates, ties and take, on both of its paths.
/// </summary>
public sealed class MergeScratchRankingTests
{
    [Fact]
    public void TheSlotsTakenAreTheHeadOfTheFullOrder()
    {
        // Few distinct scores so ties are common; up to 3,000 candidates; take from 0 to past the count.
        var gen = Gen.Select(Gen.Int[0, 12].Array[0, 3_000], Gen.Int[0, 3_100]);
        gen.SampleSeeded(input =>
        {
            var (scores, take) = input;
            var scratch = MergeScratch.ForFusion();
            var channels = new[] { "a" };
            for (var i = 0; i < scores.Length; i++)
            {
                scratch.Add(10_000 + i, scores[i] * 0.25, 0, channels);
            }

            var expected = Enumerable.Range(0, scores.Length)
                .OrderByDescending(slot => scores[slot])
                .ThenBy(slot => slot)
                .Take(take)
                .ToArray();

            Assert.Equal(expected, scratch.Ranked(take).ToArray());
        }, iter: 200);
    }

    [Fact]
    public void BothPathsAreTaken()
    {
        var scratch = MergeScratch.ForFusion();
        var channels = new[] { "a" };
        for (var i = 0; i < 1_000; i++)
        {
            scratch.Add(i, (i * 7919) % 101, 0, channels);
        }

        // 50 of 1,000 uses the heap, 900 of 1,000 sorts everything: the same head either way.
        var few = scratch.Ranked(50).ToArray();
        var many = scratch.Ranked(900).ToArray();
        Assert.Equal(50, few.Length);
        Assert.Equal(many.Take(50), few);
        Assert.Equal(100, scratch.ScoreOf(few[0]));
        Assert.True(scratch.ScoreOf(few[^1]) >= scratch.ScoreOf(many[50]));
    }
}

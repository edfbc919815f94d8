using RecFramework.Evaluation;
using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned.Tests;

/// <summary>
/// Choosing a learned fusion's training options on the validation data itself: <see cref="LearnedFusionModel.CrossValidate"/>
/// and <see cref="LearnedFusionModel.TrainSelected"/>.
/// </summary>
public sealed class CrossValidationTests
{
    private static readonly LearnedFusionTrainingOptions Small = new() { Trees = 30, Seed = 7, NegativesPerUser = 60 };

    /// <summary>A configuration that cannot learn the construction: one two-leaf tree from one negative per user.</summary>
    private static readonly LearnedFusionTrainingOptions Stump = new() { Trees = 1, Leaves = 2, Seed = 7, NegativesPerUser = 1, LearningRate = 0.01 };

    [Fact]
    public void EachFoldIsRankedByAModelTrainedOnTheOtherFoldsOnly()
    {
        var data = ConstructedData.Examples(90, seed: 11);
        var users = data.Examples.Where(e => e.Relevant.Count > 0).ToArray();

        var result = LearnedFusionModel.CrossValidate(data, Small, folds: 3);

        // The same figures by hand: user i (among those with a held-out item) is in fold i mod 3.
        double recall = 0, ndcg = 0;
        for (var fold = 0; fold < 3; fold++)
        {
            var f = fold;
            var model = LearnedFusionModel.Train(new FusionTrainingSet([.. users.Where((_, i) => i % 3 != f)], data.Popularity), Small);
            foreach (var user in users.Where((_, i) => i % 3 == f))
            {
                var ranked = model.Fuse(user.Input, 20).ConvertAll(i => i.ItemId);
                recall += RankingMetrics.Recall(ranked, user.Relevant, 20);
                ndcg += RankingMetrics.Ndcg(ranked, user.Relevant, 20);
            }
        }

        Assert.Equal(recall / users.Length, result.RecallAt20, 12);
        Assert.Equal(ndcg / users.Length, result.NdcgAt20, 12);
        Assert.Equal(Small, result.Options);
        Assert.Equal(result, LearnedFusionModel.CrossValidate(data, Small, folds: 3)); // deterministic for the seed
    }

    [Fact]
    public void TheCandidateWithTheBestCrossValidatedRecallIsTrainedAndRecordedWithEveryFigure()
    {
        using var folder = new TempFolder();
        // b's list first: ties in a model's scores then fall back to b's uninformative order, so a stump that only
        // separates agreeing candidates cannot rank the relevant ones (a's top half) first.
        var constructed = ConstructedData.Examples(90, seed: 12);
        var data = constructed with { Examples = [.. constructed.Examples.Select(e => e with { Input = e.Input with { Lists = [.. e.Input.Lists.Reverse()] } })] };

        var model = LearnedFusionModel.TrainSelected(data, [Stump, Small], folds: 3);

        var selection = Assert.IsType<LearnedFusionSelection>(model.Manifest.Selection);
        var stump = LearnedFusionModel.CrossValidate(data, Stump, 3);
        var small = LearnedFusionModel.CrossValidate(data, Small, 3);
        Assert.True(small.RecallAt20 > stump.RecallAt20, $"construction: {small.RecallAt20:F3} vs {stump.RecallAt20:F3}");
        Assert.Equal([stump, small], selection.Candidates);
        Assert.Equal(1, selection.Chosen);
        Assert.Equal(Small, model.Manifest.Options);
        Assert.Equal(3, selection.Folds);
        Assert.Equal(data.Examples.Count(e => e.Relevant.Count > 0), selection.Users);

        // Channel "a" is the better input by construction; its figure is its own top 20 on the same users.
        var users = data.Examples.Where(e => e.Relevant.Count > 0).ToArray();
        Assert.Equal("a", selection.BestChannel);
        Assert.Equal(users.Average(u => RankingMetrics.Recall([.. u.Input.Lists.Single(l => l.Channel == "a").Items.Take(20).Select(i => i.ItemId)], u.Relevant, 20)), selection.BestChannelRecallAt20, 12);
        Assert.Contains("2 of 2 candidates", selection.Describe(), StringComparison.Ordinal);

        model.Save(folder.Path);
        Assert.Equal(selection.Candidates, LearnedFusionModel.Load(folder.Path).Manifest.Selection!.Candidates);
    }

    [Fact]
    public void TheDefaultGridVariesNegativesAndLeavesAroundTheGivenOptions()
    {
        var grid = Small.SelectionGrid();

        Assert.Equal(4, grid.Count);
        Assert.Equal(Small, grid[0]);
        Assert.All(grid, o => Assert.Equal((Small.Trees, Small.Seed, Small.LearningRate), (o.Trees, o.Seed, o.LearningRate)));
        Assert.Equal([(60, 16), (50, 16), (60, 8), (50, 8)], grid.Select(o => (o.NegativesPerUser, o.Leaves)));
        Assert.Single(new LearnedFusionTrainingOptions { NegativesPerUser = 50, Leaves = 8 }.SelectionGrid()); // duplicates removed
        Assert.Equal(2, new LearnedFusionTrainingOptions { NegativesPerUser = 50 }.SelectionGrid().Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void OneOrNegativeFoldsAreRefusedByName(int folds)
    {
        var error = Assert.Throws<RecFrameworkException>(() => LearnedFusionModel.TrainerFor(null, null, folds));

        Assert.Equal(RecError.InvalidArgument, error.Error);
        Assert.Contains($"{folds} cross-validation folds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreFoldsThanUsersWithAHeldOutItemAreRefused()
    {
        var data = ConstructedData.Examples(4, seed: 13);

        var error = Assert.Throws<RecFrameworkException>(() => LearnedFusionModel.CrossValidate(data, Small, folds: 5));

        Assert.Equal(RecError.InvalidArgument, error.Error);
        Assert.Contains("5 folds over 4 user(s)", error.Message, StringComparison.Ordinal);
    }
}

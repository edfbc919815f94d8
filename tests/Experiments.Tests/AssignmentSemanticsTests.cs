namespace RecFramework.Experiments.Tests;

/// <summary>Holdout, mutual exclusion, launch and reverse buckets, parameters and stability on 100,000 users.</summary>
public sealed class AssignmentSemanticsTests
{
    private const int Users = 100_000;

    [Fact]
    public void AssignsSameVariantForSameUser()
    {
        var first = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var second = TestConfigurations.Router(TestConfigurations.TwoLayers);
        for (long user = 0; user < 5000; user++)
        {
            Assert.Equal(first.Assign(user).Tag, second.Assign(user).Tag);
        }
    }

    [Fact]
    public void HoldoutUsersAreNeverInAnExperimentAndGetTheBaseline()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var held = 0;
        for (long user = 0; user < Users; user++)
        {
            var assignment = router.Assign(user);
            if (!assignment.Holdout)
            {
                continue;
            }

            held++;
            Assert.All(assignment.Layers, layer =>
            {
                Assert.Null(layer.Experiment);
                Assert.Equal(LayerAssignment.HoldoutVariant, layer.Variant);
                Assert.False(layer.ReverseBucket);
            });
            Assert.Equal("itemcf,popular", assignment.Parameters["channels"]);
            Assert.False(assignment.Parameters.ContainsKey("two-tower.weight")); // the launch is not applied to the holdout
            Assert.Equal("gbdt-v1", assignment.Parameters["ranker"]);
            Assert.StartsWith("holdout;", assignment.Tag, StringComparison.Ordinal);
        }

        Assert.InRange(held, 9_000, 11_000);
    }

    [Fact]
    public void ExperimentsInALayerAreMutuallyExclusiveByBucketRange()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        for (long user = 0; user < Users; user++)
        {
            var assignment = router.Assign(user);
            if (assignment.Holdout)
            {
                continue;
            }

            var recall = assignment.Layers[0];
            var expected = recall.Bucket switch
            {
                < 200 => "exp-a",
                < 300 => "exp-b",
                >= 990 => "launch-tt",
                _ => null,
            };
            Assert.Equal(expected, recall.Experiment);
            Assert.Equal(assignment.Layers[1].Bucket < 500 ? "rank-dnn" : null, assignment.Layers[1].Experiment);
        }
    }

    [Fact]
    public void VariantsSplitTheExperimentBucketsInOrder()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        for (long user = 0; user < 20_000; user++)
        {
            var recall = router.Assign(user).Layers[0];
            if (recall.Experiment == "exp-a")
            {
                Assert.Equal(recall.Bucket < 100 ? "control" : "treatment", recall.Variant);
            }
            else if (recall.Experiment == "exp-b")
            {
                Assert.Equal(recall.Bucket < 250 ? "control" : "big-quota", recall.Variant);
            }
        }
    }

    [Fact]
    public void LaunchIsTheDefaultAndReverseBucketUsersKeepTheOldParameters()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        int reverse = 0, launched = 0;
        for (long user = 0; user < Users; user++)
        {
            var assignment = router.Assign(user);
            var recall = assignment.Layers[0];
            if (assignment.Holdout)
            {
                continue;
            }

            if (recall.ReverseBucket)
            {
                reverse++;
                Assert.Equal(("launch-tt", LayerAssignment.ReverseVariant), (recall.Experiment, recall.Variant));
                Assert.InRange(recall.Bucket, 990, 999);
                Assert.False(recall.Parameters.ContainsKey("two-tower.weight"));
                Assert.False(recall.Parameters.ContainsKey("two-tower.quota"));
                Assert.Equal("itemcf,popular", recall.Parameters["channels"]);
            }
            else
            {
                launched++;
                Assert.Equal("1.5", recall.Parameters["two-tower.weight"]);
                Assert.Equal("300", recall.Parameters["two-tower.quota"]);
            }

            if (recall is { Experiment: "exp-a", Variant: "treatment" })
            {
                // A running experiment builds on the launched default and overrides its own keys.
                Assert.Equal("itemcf,two-tower,popular", recall.Parameters["channels"]);
                Assert.Equal("1.5", recall.Parameters["two-tower.weight"]);
            }

            if (recall is { Experiment: "exp-b", Variant: "big-quota" })
            {
                Assert.Equal("400", recall.Parameters["itemcf.quota"]);
            }
        }

        Assert.InRange(reverse, 700, 1100);
        Assert.True(launched > 80_000);
    }

    [Fact]
    public void MergesLayerParametersIntoTheRequest()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var assignment = Enumerable.Range(0, 10_000).Select(i => router.Assign(i))
            .First(a => a.Layers[0] is { Experiment: "exp-b", Variant: "big-quota" } && a.Layers[1].Variant == "dnn");
        Assert.Equal("400", assignment.Parameters["itemcf.quota"]);
        Assert.Equal("dnn-v2", assignment.Parameters["ranker"]);
        Assert.Equal("50", assignment.Parameters["k"]);
        var request = new RecFramework.Pipeline.RecommendRequest { UserId = assignment.UserId, Parameters = new Dictionary<string, string> { ["k"] = "7" } }
            .WithAssignment(assignment);
        Assert.Equal("7", request.Parameters!["k"]);
        Assert.Equal("400", request.Parameters["itemcf.quota"]);
        Assert.Matches(@"^recall:exp-b/big-quota@2[5-9]\d;rank:rank-dnn/dnn@\d+;v=[0-9a-f]{16}$", assignment.Tag);
    }

    [Fact]
    public void AddingOrRemovingOtherExperimentsAndLayersMovesNobodyElse()
    {
        var before = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var options = TestConfigurations.Options(TestConfigurations.TwoLayers);
        // A new experiment in rank (free buckets 500-599), a new layer, exp-b removed from recall.
        options.Layers[1].Experiments.Add(new ExperimentOptions
        {
            Name = "rank-new", Buckets = ["500-599"],
            Variants = [new VariantOptions { Name = "a", Share = 0.5 }, new VariantOptions { Name = "b", Share = 0.5 }],
        });
        options.Layers.Add(new LayerOptions { Name = "ui", Salt = "ui", Parameters = new() { ["theme"] = "dark" } });
        options.Layers[0].Experiments.RemoveAll(e => e.Name == "exp-b");
        var after = TestConfigurations.Router(TestConfigurations.TwoLayers);
        Assert.True(after.TryReload(options, out var failures), string.Join("\n", failures));
        Assert.NotEqual(before.Current.Version, after.Current.Version);

        for (long user = 0; user < Users; user++)
        {
            var a = before.Assign(user);
            var b = after.Assign(user);
            Assert.Equal(a.Holdout, b.Holdout);
            Assert.Equal(a.Layers[0].Bucket, b.Layers[0].Bucket);
            Assert.Equal(a.Layers[1].Bucket, b.Layers[1].Bucket);
            if (a.Layers[0].Experiment == "exp-b")
            {
                Assert.Equal(LayerAssignment.DefaultVariant, b.Layers[0].Variant);
            }
            else
            {
                Assert.Equal((a.Layers[0].Experiment, a.Layers[0].Variant), (b.Layers[0].Experiment, b.Layers[0].Variant));
            }

            if (a.Holdout || b.Layers[1].Experiment != "rank-new")
            {
                Assert.Equal((a.Layers[1].Experiment, a.Layers[1].Variant), (b.Layers[1].Experiment, b.Layers[1].Variant));
            }
            else
            {
                Assert.InRange(b.Layers[1].Bucket, 500, 599);
            }
        }
    }

    [Fact]
    public void RemovingALayerOrAddingOneInFrontMovesNobodyInTheOthers()
    {
        var before = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var withoutRank = TestConfigurations.Options(TestConfigurations.TwoLayers);
        withoutRank.Layers.RemoveAt(1);
        var withUiFirst = TestConfigurations.Options(TestConfigurations.TwoLayers);
        withUiFirst.Layers.Insert(0, new LayerOptions
        {
            Name = "ui", Salt = "ui-2026",
            Experiments = [new ExperimentOptions { Name = "ui-dark", Buckets = ["0-499"], Variants = [new VariantOptions { Name = "light", Share = 0.5 }, new VariantOptions { Name = "dark", Share = 0.5 }] }],
        });
        var removed = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var added = TestConfigurations.Router(TestConfigurations.TwoLayers);
        Assert.True(removed.TryReload(withoutRank, out var failures), string.Join("\n", failures));
        Assert.True(added.TryReload(withUiFirst, out failures), string.Join("\n", failures));

        for (long user = 0; user < Users; user++)
        {
            var a = before.Assign(user);
            var r = removed.Assign(user);
            var u = added.Assign(user);
            Assert.Equal(a.Holdout, r.Holdout);
            Assert.Equal(a.Holdout, u.Holdout);
            Assert.Equal(a.Layers[0].Tag, Assert.Single(r.Layers).Tag);
            Assert.Equal(["ui", "recall", "rank"], u.Layers.Select(l => l.Layer));
            Assert.Equal(a.Layers[0].Tag, u.Layers[1].Tag);
            Assert.Equal(a.Layers[1].Tag, u.Layers[2].Tag);
        }
    }

    [Fact]
    public void MergedParametersEqualTheLayerByLayerMerge()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var combinations = new HashSet<string>();
        for (long user = 0; user < 20_000; user++)
        {
            var assignment = router.Assign(user);
            var expected = new Dictionary<string, string>();
            foreach (var layer in assignment.Layers)
            {
                foreach (var (key, value) in layer.Parameters)
                {
                    expected[key] = value;
                }
            }

            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), assignment.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
            combinations.Add(string.Join(',', assignment.Layers.Select(l => l.Variant)));
        }

        Assert.True(combinations.Count >= 15, $"only {combinations.Count} combinations seen");
    }

    [Fact]
    public void RouterWithoutLayersOrHoldoutAssignsNothing()
    {
        var router = TestConfigurations.Router("""{ "RecFramework": { "Experiments": { "BucketCount": 10 } } }""");
        var assignment = router.Assign(5);
        Assert.False(assignment.Holdout);
        Assert.Equal(-1, assignment.HoldoutBucket);
        Assert.Empty(assignment.Layers);
        Assert.Empty(assignment.Parameters);
        Assert.Equal("v=" + router.Current.Version, assignment.Tag);
    }
}

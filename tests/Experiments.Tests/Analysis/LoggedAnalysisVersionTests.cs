using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>
/// A log written across a configuration change (the experiment was started while it was written): the analysis covers
/// the records of the served version, so the SRM check runs (and can flag) instead of being skipped; a log without any
/// record of the served version is analysed whole with the SRM check skipped.
/// </summary>
public sealed class LoggedAnalysisVersionTests
{
    private static ExperimentsOptions Configuration(ExperimentStatus status) => new()
    {
        BucketCount = 100,
        Layers =
        [
            new LayerOptions
            {
                Name = "ranking",
                Salt = "ranking-versions",
                Experiments =
                [
                    new ExperimentOptions
                    {
                        Name = "exp",
                        Status = status,
                        Buckets = ["0-99"],
                        Variants = [new VariantOptions { Name = "control", Share = 0.5 }, new VariantOptions { Name = "treatment", Share = 0.5 }],
                    },
                ],
            },
        ],
    };

    /// <summary>
    /// Users 1..1500 served on day 0 under the stopped experiment (everyone on the default), then users 1..3000 on day 1
    /// under the running one; one exposure per request, clicks with probability 0.1 (seeded). Users of
    /// <paramref name="dropTreatmentShare"/> of the treatment are lost from the running version's records (a planted
    /// sample-ratio mismatch).
    /// </summary>
    private static ExperimentLog Log(ExperimentsOptions before, ExperimentsOptions after, double dropTreatmentShare = 0, bool includeAfter = true)
    {
        var random = new Random(20261206);
        var requests = new List<RequestRecord>();
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        void Serve(RouterState state, long user, int day)
        {
            var stamp = ExperimentRouter.Assign(state, user).Stamp;
            if (stamp.Layer("ranking")!.Variant == "treatment" && random.NextDouble() < dropTreatmentShare)
            {
                return;
            }

            var id = $"d{day}u{user}";
            requests.Add(new RequestRecord(id, user, day, 1, stamp));
            exposures.Add(new ExposureRecord(id, user, day, 100 + (user % 7), 0, "popular", stamp));
            if (random.NextDouble() < 0.1)
            {
                clicks.Add(new ClickRecord(id, user, day, 100 + (user % 7), 0, "popular", stamp));
            }
        }

        var old = RouterState.Compile(before);
        for (long user = 1; user <= 1500; user++)
        {
            Serve(old, user, 0);
        }

        if (includeAfter)
        {
            var served = RouterState.Compile(after);
            for (long user = 1; user <= 3000; user++)
            {
                Serve(served, user, 1);
            }
        }

        return new ExperimentLog { Requests = requests, Exposures = exposures, Clicks = clicks };
    }

    [Fact]
    public void AfterAStartTheServedVersionsRecordsAreAnalysedWithTheSrmCheck()
    {
        var (before, after) = (Configuration(ExperimentStatus.Stopped), Configuration(ExperimentStatus.Running));
        var log = Log(before, after);
        var version = RouterState.Compile(after).Version;

        var plan = LoggedAnalysis.Prepare(log, after, new AnalysisOptions());

        Assert.Equal(version, plan.Version);
        Assert.Contains($"cover the 3000 request(s) served under the served version {version}; 1500 request(s) under the other version(s) are left out", plan.Warning, StringComparison.Ordinal);
        Assert.All(plan.Log.Exposures, e => Assert.Equal(version, e.Assignment.ConfigVersion));
        Assert.All(plan.Log.Clicks, c => Assert.Equal(version, c.Assignment.ConfigVersion));
        Assert.NotEmpty(plan.Options.ExpectedShares!);
        var report = ExperimentAnalyzer.Analyze(plan.Log, plan.Options, "logged", "test");
        var layer = Assert.Single(report.Layers, l => l.Layer == "ranking");
        Assert.Equal(3000, report.Users);
        Assert.Equal([version], report.ConfigVersions);
        Assert.Equal(["exp/control", "exp/treatment"], layer.Variants.Select(v => v.Variant).Order());
        Assert.NotNull(layer.SrmPValue);
        Assert.False(layer.SrmFlagged, layer.SrmMessage);

        // The whole log under the served shares would be a mismatch (the old version's users are all on the default):
        // that is why it is not analysed whole.
        var whole = ExperimentAnalyzer.Analyze(log, plan.Options, "logged", "test");
        Assert.True(Assert.Single(whole.Layers, l => l.Layer == "ranking").SrmFlagged);
    }

    [Fact]
    public void AMismatchInTheServedVersionIsFlagged()
    {
        var (before, after) = (Configuration(ExperimentStatus.Stopped), Configuration(ExperimentStatus.Running));

        var plan = LoggedAnalysis.Prepare(Log(before, after, dropTreatmentShare: 0.3), after, new AnalysisOptions());

        var layer = Assert.Single(ExperimentAnalyzer.Analyze(plan.Log, plan.Options, "logged", "test").Layers, l => l.Layer == "ranking");
        Assert.True(layer.SrmFlagged, $"p = {layer.SrmPValue}");
        Assert.True(layer.SrmPValue < 1e-6);
    }

    [Fact]
    public void ALogWithoutTheServedVersionIsAnalysedWholeWithTheSrmCheckSkipped()
    {
        var (before, after) = (Configuration(ExperimentStatus.Stopped), Configuration(ExperimentStatus.Running));
        var log = Log(before, after, includeAfter: false);

        var plan = LoggedAnalysis.Prepare(log, after, new AnalysisOptions());

        Assert.Null(plan.Version);
        Assert.Same(log, plan.Log);
        Assert.Contains("SRM check skipped", plan.Warning, StringComparison.Ordinal);
        var layer = Assert.Single(ExperimentAnalyzer.Analyze(plan.Log, plan.Options, "logged", "test").Layers, l => l.Layer == "ranking");
        Assert.Null(layer.SrmPValue);
    }

    [Fact]
    public void ALogOfTheServedVersionOnlyIsAnalysedWholeWithoutAWarning()
    {
        var running = Configuration(ExperimentStatus.Running);
        var log = Log(running, running);

        var plan = LoggedAnalysis.Prepare(log, running, new AnalysisOptions());

        Assert.Same(log, plan.Log);
        Assert.Null(plan.Warning);
        Assert.Equal(RouterState.Compile(running).Version, plan.Version);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using RecFramework.Experiments.FeatureManagement;

namespace RecFramework.Experiments.Tests;

/// <summary>The RecExperiment filter and group-based variant allocation through the real FeatureManagement APIs.</summary>
public sealed class FeatureManagementBridgeTests
{
    private const string Features = """
    {
      "feature_management": {
        "feature_flags": [
          { "id": "TwoTowerBanner", "enabled": true,
            "conditions": { "client_filters": [ { "name": "RecExperiment", "parameters": { "Layer": "recall", "Experiment": "exp-a", "Variant": "treatment" } } ] } },
          { "id": "HoldoutNotice", "enabled": true,
            "conditions": { "client_filters": [ { "name": "RecExperiment", "parameters": { "Holdout": true } } ] } },
          { "id": "RankerBadge", "enabled": true,
            "variants": [ { "name": "Old", "configuration_value": "gbdt" }, { "name": "New", "configuration_value": "dnn" } ],
            "allocation": { "default_when_enabled": "Old", "group": [ { "variant": "New", "groups": [ "rank/rank-dnn/dnn" ] } ] } }
        ]
      }
    }
    """;

    [Fact]
    public async Task FilterFollowsTheRouterAssignment()
    {
        using var services = Build(null);
        var router = services.GetRequiredService<IExperimentRouter>();
        var features = services.GetRequiredService<IFeatureManager>();
        int inTreatment = 0, held = 0;
        for (long user = 0; user < 2000; user++)
        {
            var assignment = router.Assign(user);
            var context = assignment.ToTargetingContext();
            var expected = assignment.Layers[0] is { Experiment: "exp-a", Variant: "treatment" };
            inTreatment += expected ? 1 : 0;
            held += assignment.Holdout ? 1 : 0;
            Assert.Equal(expected, await features.IsEnabledAsync("TwoTowerBanner", context));
            Assert.Equal(assignment.Holdout, await features.IsEnabledAsync("HoldoutNotice", context));
            // A plain targeting context carrying only the user id is routed by the router, not re-hashed.
            Assert.Equal(expected, await features.IsEnabledAsync("TwoTowerBanner", new TargetingContext { UserId = user.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        Assert.InRange(inTreatment, 100, 260);
        Assert.InRange(held, 120, 290);
    }

    [Fact]
    public async Task VariantAllocationByGroupUsesTheAssignment()
    {
        using var services = Build(null);
        var router = services.GetRequiredService<IExperimentRouter>();
        var variants = services.GetRequiredService<IVariantFeatureManager>();
        var newCount = 0;
        for (long user = 0; user < 2000; user++)
        {
            var assignment = router.Assign(user);
            var variant = await variants.GetVariantAsync("RankerBadge", assignment.ToTargetingContext(), CancellationToken.None);
            var expected = assignment.Layers[1].Variant == "dnn" ? "New" : "Old";
            Assert.Equal(expected, variant.Name);
            newCount += expected == "New" ? 1 : 0;
        }

        Assert.InRange(newCount, 350, 550);
    }

    [Fact]
    public async Task FilterWithoutContextUsesTheTargetingAccessor()
    {
        var accessor = new FixedTargetingContextAccessor();
        using var services = Build(accessor);
        var router = services.GetRequiredService<IExperimentRouter>();
        var features = services.GetRequiredService<IFeatureManager>();
        var on = 0;
        for (long user = 0; user < 1000; user++)
        {
            accessor.UserId = user.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var expected = router.Assign(user).Layers[0] is { Experiment: "exp-a", Variant: "treatment" };
            on += expected ? 1 : 0;
            Assert.Equal(expected, await features.IsEnabledAsync("TwoTowerBanner"));
        }

        Assert.True(on > 40);
        accessor.UserId = "not-a-number";
        Assert.False(await features.IsEnabledAsync("HoldoutNotice"));
    }

    [Fact]
    public async Task FilterAndAllocationReadTheRoutersAssignmentAndNeverHashOnTheirOwn()
    {
        // A router that answers for user u with the assignment of another user: whatever hashing the bridge might do
        // on its own would disagree with it for most users.
        var configuration = new ConfigurationBuilder().AddConfiguration(TestConfigurations.Json(TestConfigurations.TwoLayers))
            .AddConfiguration(TestConfigurations.Json(Features)).Build();
        using var services = TestConfigurations.Services(configuration, configure: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<IExperimentRouter>(sp => new CountingRouter(sp.GetRequiredService<ExperimentRouter>(), u => u ^ 0x5A5A)));
            s.AddFeatureManagement().AddRecExperimentFilter();
        });
        var router = (CountingRouter)services.GetRequiredService<IExperimentRouter>();
        var real = services.GetRequiredService<ExperimentRouter>();
        var features = services.GetRequiredService<IFeatureManager>();
        var variants = services.GetRequiredService<IVariantFeatureManager>();
        int differs = 0, contextual = 0;
        for (long user = 0; user < 1000; user++)
        {
            var routed = router.Assign(user);
            var own = real.Assign(user);
            var inTreatment = routed.Layers[0] is { Experiment: "exp-a", Variant: "treatment" };
            var ownInTreatment = own.Layers[0] is { Experiment: "exp-a", Variant: "treatment" };
            differs += inTreatment != ownInTreatment || routed.Holdout != own.Holdout ? 1 : 0;

            // A plain targeting context: the filter asks the router (one call), and follows its answer.
            var calls = router.Calls;
            var plain = new TargetingContext { UserId = user.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Assert.Equal(inTreatment, await features.IsEnabledAsync("TwoTowerBanner", plain));
            Assert.Equal(calls + 1, router.Calls);

            // A context carrying an assignment: used as is, the router is not asked again.
            var context = routed.ToTargetingContext();
            calls = router.Calls;
            Assert.Equal(inTreatment, await features.IsEnabledAsync("TwoTowerBanner", context));
            Assert.Equal(routed.Holdout, await features.IsEnabledAsync("HoldoutNotice", context));
            var variant = await variants.GetVariantAsync("RankerBadge", context, CancellationToken.None);
            Assert.Equal(routed.Layers[1].Variant == "dnn" ? "New" : "Old", variant.Name);
            Assert.Equal(calls, router.Calls);
            contextual++;
        }

        Assert.Equal(1000, contextual);
        Assert.True(differs > 100, $"only {differs} users differ between the two routers; the test would not notice re-hashing");
    }

    [Fact]
    public async Task FilterWithoutLayerOrHoldoutIsAConfigurationError()
    {
        using var services = Build(null, """{ "feature_management": { "feature_flags": [ { "id": "Broken", "enabled": true, "conditions": { "client_filters": [ { "name": "RecExperiment", "parameters": { "Variant": "t" } } ] } } ] } }""");
        var router = services.GetRequiredService<IExperimentRouter>();
        var error = await Assert.ThrowsAsync<RecFrameworkException>(() => services.GetRequiredService<IFeatureManager>().IsEnabledAsync("Broken", router.Assign(1).ToTargetingContext()));
        Assert.Contains("Feature 'Broken'", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(ITargetingContextAccessor? accessor, string featureJson = Features)
    {
        var configuration = TestConfigurations.Json(TestConfigurations.TwoLayers);
        var features = TestConfigurations.Json(featureJson);
        var merged = new ConfigurationBuilder().AddConfiguration(configuration).AddConfiguration(features).Build();
        return TestConfigurations.Services(merged, configure: services =>
        {
            if (accessor is not null)
            {
                services.AddSingleton(accessor);
            }

            services.AddFeatureManagement().AddRecExperimentFilter();
        });
    }

    /// <summary>Answers for user u with the real router's assignment of map(u), counting calls.</summary>
    private sealed class CountingRouter(IExperimentRouter inner, Func<long, long> map) : IExperimentRouter
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ExperimentsSnapshot Current => inner.Current;

        public bool TryReload(ExperimentsOptions options, out IReadOnlyList<string> failures) => inner.TryReload(options, out failures);

        public ExperimentAssignment Assign(long userId)
        {
            Interlocked.Increment(ref _calls);
            return inner.Assign(map(userId));
        }
    }

    private sealed class FixedTargetingContextAccessor : ITargetingContextAccessor
    {
        public string UserId { get; set; } = "0";

        public ValueTask<TargetingContext> GetContextAsync() => ValueTask.FromResult(new TargetingContext { UserId = UserId });
    }
}

using Microsoft.FeatureManagement;

namespace RecFramework.Experiments.FeatureManagement;

/// <summary>FeatureManagement registration of the experiments bridge.</summary>
public static class RecExperimentFeatureManagementExtensions
{
    /// <summary>
    /// Adds the <c>RecExperiment</c> feature filter, contextual and ambient (needs <c>AddRecExperiments</c> for the router).
    /// </summary>
    public static IFeatureManagementBuilder AddRecExperimentFilter(this IFeatureManagementBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddFeatureFilter<RecExperimentFilter>().AddFeatureFilter<RecExperimentAmbientFilter>();
    }

    /// <summary>A targeting context carrying <paramref name="assignment"/>, for <c>IsEnabledAsync</c> and <c>GetVariantAsync</c>.</summary>
    public static ExperimentTargetingContext ToTargetingContext(this ExperimentAssignment assignment) => new(assignment);
}

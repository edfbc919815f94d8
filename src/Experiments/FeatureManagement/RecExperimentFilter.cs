using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace RecFramework.Experiments.FeatureManagement;

/// <summary>
/// Feature filter <c>RecExperiment</c> (parameters: Layer, Experiment, Variant, Holdout): on when the user's
/// assignment from <see cref="IExperimentRouter"/> matches every parameter set. The router is the authority:
/// with an <see cref="ExperimentTargetingContext"/> its assignment is used as is; with any other targeting context
/// (or, without a context, the registered <see cref="ITargetingContextAccessor"/>) the user id is parsed and
/// routed. Nothing is re-hashed here.
/// </summary>
[FilterAlias(Alias)]
public sealed class RecExperimentFilter(IExperimentRouter router) : IContextualFeatureFilter<ITargetingContext>
{
    /// <summary>Alias used in feature configuration.</summary>
    public const string Alias = "RecExperiment";

    /// <inheritdoc />
    public Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context, ITargetingContext appContext)
    {
        ArgumentNullException.ThrowIfNull(context);
        var assignment = Resolve(router, appContext);
        return Task.FromResult(assignment is not null && Matches(context, assignment));
    }

    internal static ExperimentAssignment? Resolve(IExperimentRouter router, ITargetingContext? context) => context switch
    {
        ExperimentTargetingContext experiment => experiment.Assignment,
        { UserId: { } id } when long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var userId) => router.Assign(userId),
        _ => null,
    };

    internal static bool Matches(FeatureFilterEvaluationContext context, ExperimentAssignment assignment)
    {
        var settings = context.Settings as RecExperimentFilterSettings
            ?? context.Parameters.Get<RecExperimentFilterSettings>()
            ?? new RecExperimentFilterSettings();
        if (settings.Layer is null && settings.Holdout is null)
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration,
                $"Feature '{context.FeatureName}': filter {Alias} needs parameter Layer or Holdout.");
        }

        if (settings.Holdout is { } holdout && holdout != assignment.Holdout)
        {
            return false;
        }

        if (settings.Layer is null)
        {
            return true;
        }

        var layer = assignment.Layer(settings.Layer);
        return layer is not null
            && (settings.Experiment is null || string.Equals(settings.Experiment, layer.Experiment, StringComparison.Ordinal))
            && (settings.Variant is null || string.Equals(settings.Variant, layer.Variant, StringComparison.Ordinal));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace RecFramework.Experiments.FeatureManagement;

/// <summary>
/// The <c>RecExperiment</c> filter for calls without a context (<c>IsEnabledAsync(feature)</c>): the user comes from
/// the registered <see cref="ITargetingContextAccessor"/> (off when none is registered or its user id is not a
/// number) and is assigned by <see cref="IExperimentRouter"/>. Shares the alias with <see cref="RecExperimentFilter"/>,
/// as FeatureManagement's own targeting filters do.
/// </summary>
[FilterAlias(RecExperimentFilter.Alias)]
public sealed class RecExperimentAmbientFilter(IExperimentRouter router, IServiceProvider services) : IFeatureFilter
{
    /// <inheritdoc />
    public async Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var accessor = services.GetService<ITargetingContextAccessor>();
        if (accessor is null)
        {
            return false;
        }

        var targeting = await accessor.GetContextAsync().ConfigureAwait(false);
        var assignment = RecExperimentFilter.Resolve(router, targeting);
        return assignment is not null && RecExperimentFilter.Matches(context, assignment);
    }
}

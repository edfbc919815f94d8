using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned;

/// <summary>Registration of the learned fusion.</summary>
public static class LearnedFusionRecBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="LearnedFusion"/> as the pipeline's <see cref="IFusionModel"/> (what <c>fusion=Learned</c>
    /// selects, per request or per experiment variant) with <see cref="LearnedFusionOptions"/> bound from
    /// <see cref="LearnedFusionOptions.Section"/>. Idempotent.
    /// </summary>
    public static IRecBuilder AddLearnedFusion(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LearnedFusionOptions>().BindConfiguration(LearnedFusionOptions.Section);
        builder.Services.TryAddSingleton<LearnedFusion>();
        builder.Services.TryAddSingleton<IFusionModel>(sp => sp.GetRequiredService<LearnedFusion>());
        return builder;
    }
}

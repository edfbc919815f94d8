using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RecFramework.DependencyInjection;
using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss;

/// <summary>DI registration of the Faiss vector index.</summary>
public static class FaissServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="VectorIndexOptions"/> (section <c>RecFramework:VectorIndex</c>, validated at start),
    /// <see cref="FaissVectorIndexFactory"/> as the default <see cref="IVectorIndexFactory"/> (TryAdd: an earlier
    /// registration wins) and the <see cref="VectorIndexRecallAudit"/> singleton. Idempotent.
    /// </summary>
    public static IRecBuilder AddFaissVectorIndex(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(FaissVectorIndexFactory)))
        {
            return builder;
        }

        services.AddMetrics();
        services.AddOptions<VectorIndexOptions>()
            .Bind(builder.Configuration.GetSection(VectorIndexOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<FaissVectorIndexFactory>();
        services.TryAddSingleton<IVectorIndexFactory>(sp => sp.GetRequiredService<FaissVectorIndexFactory>());
        services.TryAddSingleton<VectorIndexRecallAudit>();
        return builder;
    }
}

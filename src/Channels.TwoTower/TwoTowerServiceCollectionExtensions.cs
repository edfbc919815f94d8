using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower;

/// <summary>Registration of the two-tower channel.</summary>
public static class TwoTowerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the two-tower channel and its builder under <paramref name="name"/>, with
    /// <see cref="TwoTowerOptions"/> bound from <c>RecFramework:Channels:{name}:Options</c> and validated at start-up.
    /// The vector index comes from the registered <see cref="IVectorIndexFactory"/> (the exact managed index unless
    /// another one, such as Faiss, is registered). Idempotent.
    /// </summary>
    public static IRecBuilder AddTwoTowerChannel(this IRecBuilder builder, string name = TwoTowerChannel.ChannelName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddChannel<TwoTowerChannel>(name);
        builder.AddChannelBuilder<TwoTowerBuilder>(name);
        builder.Services.TryAddSingleton<IVectorIndexFactory, ExactVectorIndexFactory>();
        builder.Services.AddOptions<TwoTowerOptions>(name)
            .BindConfiguration(ChannelOptions.OptionsSectionOf(name))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoTowerOptions>, TwoTowerOptionsValidator>());
        return builder;
    }

    /// <summary>
    /// The options of the two-tower channel registered as <paramref name="channel"/> in <paramref name="services"/>.
    /// </summary>
    /// <exception cref="RecFrameworkException"><paramref name="channel"/> is not a registered two-tower channel (the
    /// message names it and lists the two-tower channels).</exception>
    public static TwoTowerOptions TwoTowerOptionsOf(this IServiceProvider services, string channel)
    {
        ArgumentNullException.ThrowIfNull(services);
        var towers = services.GetRequiredService<ChannelCatalog>().Registrations
            .Where(r => r.ChannelType == typeof(TwoTowerChannel)).Select(r => r.Name).ToArray();
        return towers.Contains(channel, StringComparer.Ordinal)
            ? services.GetRequiredService<IOptionsMonitor<TwoTowerOptions>>().Get(channel)
            : throw new RecFrameworkException(RecError.UnknownChannel, $"'{channel}' is not a two-tower channel (two-tower channels: {string.Join(", ", towers)}).");
    }
}

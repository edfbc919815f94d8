using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.DependencyInjection;

/// <summary>Channel registration on <see cref="IRecBuilder"/>.</summary>
public static class RecBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TChannel"/> as the keyed singleton <see cref="IRecallChannel"/> named
    /// <paramref name="name"/>, with its options bound from <c>RecFramework:Channels:{name}</c>. Idempotent.
    /// </summary>
    /// <exception cref="RecFrameworkException">The name is not lower-kebab or is taken by another type.</exception>
    public static IRecBuilder AddChannel<TChannel>(this IRecBuilder builder, string name)
        where TChannel : class, IRecallChannel => builder.AddChannel(typeof(TChannel), name);

    /// <summary>Registers the offline builder of channel <paramref name="name"/>. Idempotent.</summary>
    public static IRecBuilder AddChannelBuilder<TBuilder>(this IRecBuilder builder, string name)
        where TBuilder : class, IChannelBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ValidateName(name);
        builder.Services.TryAddKeyedSingleton<IChannelBuilder, TBuilder>(name);
        return builder;
    }

    /// <summary>
    /// Scans <paramref name="assemblies"/> with Scrutor for concrete <see cref="IRecallChannel"/> classes carrying
    /// <see cref="RecallChannelAttribute"/> and registers each under its name.
    /// </summary>
    public static IRecBuilder AddChannelsFrom(this IRecBuilder builder, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var scanned = new ServiceCollection();
        scanned.Scan(scan => scan.FromAssemblies(assemblies)
            .AddClasses(classes => classes.AssignableTo<IRecallChannel>().WithAttribute<RecallChannelAttribute>(), publicOnly: false)
            .AsSelf()
            .WithSingletonLifetime());
        foreach (var descriptor in scanned)
        {
            var type = descriptor.ServiceType;
            var name = type.GetCustomAttribute<RecallChannelAttribute>()!.Name;
            builder.AddChannel(type, name);
        }

        return builder;
    }

    /// <summary>
    /// Gives the start-up service (<see cref="Lifecycle.ChannelStartupService"/>) its data in code: the online stores are
    /// seeded from it and channels without a published version are built from it. Overrides <c>RecFramework:Startup:DataPath</c>.
    /// </summary>
    public static IRecBuilder UseStartupData(this IRecBuilder builder, Func<IServiceProvider, Data.InteractionDataset> load)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(load);
        builder.Services.RemoveAll<Lifecycle.StartupData>();
        builder.Services.AddSingleton(new Lifecycle.StartupData(load));
        return builder;
    }

    internal static IRecBuilder AddChannel(this IRecBuilder builder, Type channelType, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ValidateName(name);

        var existing = builder.Services
            .Where(d => d.ServiceType == typeof(ChannelRegistration) && d.ImplementationInstance is ChannelRegistration)
            .Select(d => (ChannelRegistration)d.ImplementationInstance!)
            .FirstOrDefault(r => r.Name == name);
        if (existing is not null)
        {
            if (existing.ChannelType != channelType)
            {
                throw new RecFrameworkException(RecError.InvalidConfiguration,
                    $"Channel name '{name}' is registered twice: by {existing.ChannelType.FullName} and {channelType.FullName}.");
            }

            return builder;
        }

        builder.Services.AddSingleton(new ChannelRegistration(name, channelType));
        builder.Services.TryAdd(ServiceDescriptor.KeyedSingleton(channelType, name, channelType));
        builder.Services.AddKeyedSingleton(typeof(IRecallChannel), name, (sp, key) => sp.GetRequiredKeyedService(channelType, key));
        builder.Services.AddOptions<ChannelOptions>(name)
            .BindConfiguration(ChannelOptions.DefaultsSection)
            .BindConfiguration(ChannelOptions.SectionOf(name))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!FileArtifactStore.ChannelNamePattern().IsMatch(name))
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration, $"Channel name '{name}' is not lower-kebab (a-z, 0-9, '-').");
        }
    }
}

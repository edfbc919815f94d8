using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Registration of the neighbourhood channels, one entry point per channel kind. Each can be called several times
/// under different names (say two ItemCF channels with different options); calling it again with the same name does
/// nothing.
/// </summary>
public static class ItemCFServiceCollectionExtensions
{
    /// <summary>
    /// Registers an ItemCF channel and its builder under <paramref name="name"/>, with <see cref="ItemCFOptions"/>
    /// named <paramref name="name"/>, bound from <c>RecFramework:Channels:{name}:Options</c> and validated at start-up.
    /// Idempotent per name.
    /// </summary>
    /// <exception cref="RecFrameworkException">The name is not lower-kebab or is taken by another channel kind.</exception>
    public static IRecBuilder AddItemCFChannel(this IRecBuilder builder, string name = ItemCFOptions.ChannelName) =>
        Add<ItemCFOptions>(builder, name);

    /// <summary>
    /// Registers a Swing channel and its builder under <paramref name="name"/>, with <see cref="SwingOptions"/>
    /// named <paramref name="name"/>, bound from <c>RecFramework:Channels:{name}:Options</c> and validated at start-up.
    /// Idempotent per name.
    /// </summary>
    /// <exception cref="RecFrameworkException">The name is not lower-kebab or is taken by another channel kind.</exception>
    public static IRecBuilder AddSwingChannel(this IRecBuilder builder, string name = SwingOptions.ChannelName) =>
        Add<SwingOptions>(builder, name);

    /// <summary>
    /// Registers a UserCF channel and its builder under <paramref name="name"/>, with <see cref="UserCFOptions"/>
    /// named <paramref name="name"/>, bound from <c>RecFramework:Channels:{name}:Options</c> and validated at start-up.
    /// Idempotent per name.
    /// </summary>
    /// <exception cref="RecFrameworkException">The name is not lower-kebab or is taken by another channel kind.</exception>
    public static IRecBuilder AddUserCFChannel(this IRecBuilder builder, string name = UserCFOptions.ChannelName) =>
        Add<UserCFOptions>(builder, name);

    private static IRecBuilder Add<TOptions>(IRecBuilder builder, string name)
        where TOptions : NeighbourhoodOptions, INeighbourhoodKind<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        var registered = builder.Services.Any(d => d.ServiceType == typeof(ChannelRegistration)
            && d.ImplementationInstance is ChannelRegistration r && r.Name == name && r.ChannelType == typeof(NeighbourhoodChannel<TOptions>));
        builder.AddChannel<NeighbourhoodChannel<TOptions>>(name);
        if (registered)
        {
            return builder;
        }

        builder.AddChannelBuilder<NeighbourhoodBuilder<TOptions>>(name);
        builder.Services.AddOptions<TOptions>(name).BindConfiguration(ChannelOptions.OptionsSectionOf(name)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IValidateOptions<TOptions>), TOptions.CreateValidator().GetType()));
        return builder;
    }
}

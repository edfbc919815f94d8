using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;

namespace RecFramework.Channels.ItemCF;

/// <summary>Registration of the neighbourhood channels.</summary>
public static class ItemCFServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>itemcf</c>, <c>swing</c> and <c>usercf</c> (keyed channels and keyed builders) with their options
    /// bound from <c>RecFramework:Channels:{name}:Options</c> and validated at start-up. Idempotent.
    /// </summary>
    public static IRecBuilder AddItemCFChannels(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddChannel<ItemCFChannel>(ItemCFOptions.ChannelName);
        builder.AddChannelBuilder<ItemCFBuilder>(ItemCFOptions.ChannelName);
        builder.AddChannel<SwingChannel>(SwingOptions.ChannelName);
        builder.AddChannelBuilder<SwingBuilder>(SwingOptions.ChannelName);
        builder.AddChannel<UserCFChannel>(UserCFOptions.ChannelName);
        builder.AddChannelBuilder<UserCFBuilder>(UserCFOptions.ChannelName);
        AddOptions<ItemCFOptions, ItemCFOptionsValidator>(builder.Services, ItemCFOptions.ChannelName);
        AddOptions<SwingOptions, SwingOptionsValidator>(builder.Services, SwingOptions.ChannelName);
        AddOptions<UserCFOptions, UserCFOptionsValidator>(builder.Services, UserCFOptions.ChannelName);
        return builder;
    }

    /// <summary>Configuration section of a channel's neighbourhood options.</summary>
    public static string OptionsSection(string channel) => $"RecFramework:Channels:{channel}:Options";

    private static void AddOptions<TOptions, TValidator>(IServiceCollection services, string channel)
        where TOptions : NeighbourhoodOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationType == typeof(TValidator)))
        {
            return;
        }

        services.AddOptions<TOptions>().BindConfiguration(OptionsSection(channel)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}

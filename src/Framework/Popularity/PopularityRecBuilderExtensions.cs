using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;

namespace RecFramework.Popularity;

/// <summary>Registration of the popularity channel.</summary>
public static class PopularityRecBuilderExtensions
{
    /// <summary>
    /// Registers the popularity channel and its builder under <paramref name="name"/>. <c>AddRecFramework</c> already
    /// registers <c>popular</c> (the default fallback); another name is a second channel over the same
    /// <see cref="Stores.IItemPopularityStore"/> (popular has no options of its own, and activating either name loads
    /// its counts into that store). Its default quota is 50, one default answer (not the 200 of other
    /// channels), so that a variant that lists it beside other channels does not attribute most items to it. Idempotent per name.
    /// </summary>
    /// <exception cref="RecFrameworkException">The name is not lower-kebab or is taken by another channel.</exception>
    public static IRecBuilder AddPopularChannel(this IRecBuilder builder, string name = PopularChannel.ChannelName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ImplementationInstance is Channels.ChannelRegistration r && r.Name == name))
        {
            // Before the configuration binding, so RecFramework:ChannelDefaults and the channel's own section still win.
            builder.Services.Configure<Pipeline.ChannelOptions>(name, o => o.Quota = PopularChannel.DefaultQuota);
        }

        builder.AddChannel<PopularChannel>(name);
        builder.AddChannelBuilder<PopularityBuilder>(name);
        return builder;
    }
}

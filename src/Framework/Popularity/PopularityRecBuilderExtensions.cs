using RecFramework.DependencyInjection;

namespace RecFramework.Popularity;

/// <summary>Registration of the popularity channel.</summary>
public static class PopularityRecBuilderExtensions
{
    /// <summary>
    /// Registers the popularity channel and its builder under <paramref name="name"/>. <c>AddRecFramework</c> already
    /// registers <c>popular</c> (the default fallback); another name is a second channel over the same
    /// <see cref="Stores.IItemPopularityStore"/> (popular has no options of its own, and activating either name loads
    /// its counts into that store). Idempotent per name.
    /// </summary>
    /// <exception cref="RecFrameworkException">The name is not lower-kebab or is taken by another channel.</exception>
    public static IRecBuilder AddPopularChannel(this IRecBuilder builder, string name = PopularChannel.ChannelName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddChannel<PopularChannel>(name);
        builder.AddChannelBuilder<PopularityBuilder>(name);
        return builder;
    }
}

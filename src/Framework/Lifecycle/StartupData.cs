using RecFramework.Data;

namespace RecFramework.Lifecycle;

/// <summary>The data given in code to <see cref="ChannelStartupService"/> (see <c>IRecBuilder.UseStartupData</c>).</summary>
/// <param name="Load">Returns the dataset; called once at start-up.</param>
public sealed record StartupData(Func<IServiceProvider, InteractionDataset> Load);

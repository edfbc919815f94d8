using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RecFramework.Channels.TwoTower.MatrixCompletion;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower;

/// <summary>Registration of the matrix-completion channel.</summary>
public static class MatrixCompletionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the matrix-completion channel and its builder under <paramref name="name"/>, with
    /// <see cref="MatrixCompletionOptions"/> bound from <c>RecFramework:Channels:{name}:Options</c> and validated at
    /// start-up. It serves through the registered <see cref="IVectorIndexFactory"/> (the exact managed index unless
    /// another one, such as Faiss, is registered). Idempotent.
    /// </summary>
    public static IRecBuilder AddMatrixCompletionChannel(this IRecBuilder builder, string name = MatrixCompletionOptions.ChannelName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddChannel<MatrixCompletionChannel>(name);
        builder.AddChannelBuilder<MatrixCompletionBuilder>(name);
        builder.Services.TryAddSingleton<IVectorIndexFactory, ExactVectorIndexFactory>();
        builder.Services.AddOptions<MatrixCompletionOptions>(name)
            .BindConfiguration(ChannelOptions.OptionsSectionOf(name))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}

using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.MatrixCompletion;

/// <summary>
/// Trains matrix completion on a data set (a file or a window of the event log, through the
/// <see cref="Lifecycle.ChannelLifecycle"/> like every channel) and publishes the user and item embeddings and the
/// item index. Build parameters: any <see cref="MatrixCompletionOptions"/> property by name (case, '_' and '-'
/// ignored), e.g. <c>epochs</c> = <c>5</c>.
/// </summary>
internal sealed class MatrixCompletionBuilder(IOptionsMonitor<MatrixCompletionOptions> options, IVectorIndexFactory indexFactory) : IChannelBuilder, RecFramework.Tuning.ITunableChannelBuilder
{
    /// <inheritdoc />
    public RecFramework.Tuning.TuningSpace TuningSpace => MatrixCompletionOptions.SearchSpace;

    /// <inheritdoc />
    public Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var effective = Apply(options.Get(context.Channel), context.Parameters);
        var trained = MatrixCompletionTrainer.Train(context.Data, effective, context.Seed, context.Progress, cancellationToken);
        var draft = context.Store.CreateDraft(context.Channel);
        MatrixCompletionArtifact.Write(draft.Directory, effective, trained, indexFactory, context.Seed);
        var (from, to) = context.Data.TimeRange;
        return Task.FromResult(context.Store.Publish(draft, new ArtifactManifest
        {
            Channel = context.Channel,
            Version = draft.Version,
            Dataset = context.Data.Name,
            DataFrom = from,
            DataTo = to,
            Data = Data.DataFingerprint.Of(context.Data),
            Metrics =
            {
                ["train_loss"] = trained.FinalLoss,
                ["examples"] = trained.Examples,
                ["users"] = trained.Users.Length,
                ["items"] = trained.Items.Length,
                ["build_seconds"] = trained.Seconds,
            },
            Properties =
            {
                ["model"] = "matrix completion (id embeddings, inner product, squared loss)",
                ["index"] = effective.IndexDescription,
                ["index_factory"] = indexFactory.GetType().Name,
                ["seed"] = context.Seed.ToString(CultureInfo.InvariantCulture),
            },
        }));
    }

    /// <summary>A validated copy of <paramref name="options"/> with the build <paramref name="parameters"/> applied.</summary>
    /// <exception cref="RecFrameworkException">Unknown key, unparsable value, or a value outside its range.</exception>
    internal static MatrixCompletionOptions Apply(MatrixCompletionOptions options, IReadOnlyDictionary<string, string> parameters)
    {
        static string Normalize(string key) => key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        var result = options.Clone();
        var properties = typeof(MatrixCompletionOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => Normalize(p.Name));
        foreach (var (key, value) in parameters)
        {
            if (!properties.TryGetValue(Normalize(key), out var property))
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"Unknown matrix-completion parameter '{key}' (value '{value}'); known: {string.Join(", ", properties.Values.Select(p => p.Name))}.");
            }

            try
            {
                property.SetValue(result, Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"Matrix-completion parameter '{key}': cannot parse '{value}' as {property.PropertyType.Name}.");
            }
        }

        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(result, new ValidationContext(result), failures, validateAllProperties: true))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, "Invalid matrix-completion options: " + string.Join("; ", failures.Select(f => f.ErrorMessage)));
        }

        return result;
    }
}

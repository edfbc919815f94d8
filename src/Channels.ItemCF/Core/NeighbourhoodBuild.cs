using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>The build steps the three builders share: effective options, matrix, index files, publication.</summary>
internal static class NeighbourhoodBuild
{
    /// <summary>
    /// <paramref name="configured"/> with <see cref="ChannelBuildContext.Parameters"/> applied (keys are property
    /// names, case-insensitive), validated.
    /// </summary>
    /// <exception cref="RecFrameworkException">An override does not parse or breaks a rule (<see cref="RecError.InvalidConfiguration"/>).</exception>
    public static TOptions Effective<TOptions>(TOptions configured, IReadOnlyDictionary<string, string> parameters, IValidateOptions<TOptions> validator, string channel)
        where TOptions : NeighbourhoodOptions
    {
        var options = (TOptions)configured.Copy();
        if (parameters.Count > 0)
        {
            var known = typeof(TOptions).GetProperties().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var key in parameters.Keys)
            {
                if (!known.Contains(key))
                {
                    throw new RecFrameworkException(RecError.InvalidConfiguration,
                        $"Build parameter '{key}' is not an option of channel '{channel}' (known: {string.Join(", ", known.Order(StringComparer.Ordinal))}).");
                }
            }

            try
            {
                new ConfigurationBuilder().AddInMemoryCollection(parameters.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))).Build().Bind(options);
            }
            catch (InvalidOperationException ex)
            {
                throw new RecFrameworkException(RecError.InvalidConfiguration, $"Build parameters of channel '{channel}': {ex.Message}", ex);
            }
        }

        var result = validator.Validate(channel, options);
        if (result.Failed)
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration, $"Options of channel '{channel}' are invalid: {result.FailureMessage}");
        }

        return options;
    }

    /// <summary>
    /// The whole build of a neighbourhood channel: effective options, the user–item matrix, the neighbour index of
    /// <paramref name="kernel"/> over items (or users when <paramref name="userRows"/>), the artifact.
    /// </summary>
    public static ArtifactHandle Run<TOptions, TKernel>(ChannelBuildContext context, TOptions configured, IValidateOptions<TOptions> validator,
        Func<UserItemMatrix, TOptions, int, TKernel> kernel, bool userRows, CancellationToken cancellationToken)
        where TOptions : NeighbourhoodOptions
        where TKernel : IRowKernel
    {
        var watch = Stopwatch.StartNew();
        var effective = Effective(configured, context.Parameters, validator, context.Channel);
        var threads = Threads(effective);
        var matrix = UserItemMatrix.Build(context.Data.Interactions, effective, threads, cancellationToken);
        var matrixSeconds = watch.Elapsed.TotalSeconds;
        context.Progress?.Report(new BuildProgress(0, FormattableString.Invariant(
            $"user-item matrix: {matrix.UserCount:N0} users, {matrix.ItemCount:N0} items, {matrix.PairCount:N0} pairs in {matrixSeconds:F1} s")));
        var neighbours = NeighbourIndexBuilder.Build(kernel(matrix, effective, context.Seed), userRows ? matrix.UserIds : matrix.ItemIds,
            effective.Neighbours, effective.NormalizeRows, threads, context.Progress, context.Channel, cancellationToken);
        return Publish(context, effective, matrix, neighbours, watch, matrixSeconds, watch.Elapsed.TotalSeconds - matrixSeconds);
    }

    /// <summary>Worker threads for <paramref name="options"/>.</summary>
    public static int Threads(NeighbourhoodOptions options) => options.BuildThreads > 0 ? options.BuildThreads : Environment.ProcessorCount;

    /// <summary>Writes the two index files into a draft and publishes them.</summary>
    public static ArtifactHandle Publish(ChannelBuildContext context, NeighbourhoodOptions options, UserItemMatrix matrix, CsrMatrix neighbours, Stopwatch watch, double matrixSeconds, double similaritySeconds)
    {
        var draft = context.Store.CreateDraft(context.Channel);
        var history = matrix.LastN(options.LastN);
        CsrFile.Write(draft.PathOf(CfArtifact.NeighboursFile), neighbours);
        CsrFile.Write(draft.PathOf(CfArtifact.HistoryFile), history);
        var (from, to) = context.Data.TimeRange;
        var handle = context.Store.Publish(draft, new ArtifactManifest
        {
            Channel = context.Channel,
            Version = draft.Version,
            Dataset = context.Data.Name,
            DataFrom = from,
            DataTo = to,
            Data = RecFramework.Data.DataFingerprint.Of(context.Data),
            Metrics =
            {
                ["users"] = matrix.UserCount,
                ["items"] = matrix.ItemCount,
                ["pairs"] = matrix.PairCount,
                ["neighbour_entries"] = neighbours.EntryCount,
                ["matrix_seconds"] = matrixSeconds,
                ["similarity_seconds"] = similaritySeconds,
                ["build_seconds"] = watch.Elapsed.TotalSeconds,
            },
            Properties =
            {
                [CfArtifact.OptionsProperty] = JsonSerializer.Serialize<object>(options),
                ["seed"] = context.Seed.ToString(CultureInfo.InvariantCulture),
                ["format"] = $"csr-v{CsrFile.FormatVersion}",
            },
        });
        context.Progress?.Report(new BuildProgress(1, $"published {handle.Manifest.Channel}/{handle.Manifest.Version}"));
        return handle;
    }
}

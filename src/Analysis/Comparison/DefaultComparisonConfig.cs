using Microsoft.Extensions.Configuration;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// The embedded comparison configuration used when <c>compare</c> gets no <c>--config</c>: a 10 % holdout and a
/// recall layer whose experiment pits a popular-heavy mix (control) against a CF/two-tower mix (treatment) on 80 % of
/// the buckets, the rest on the popular default. Channels that are not registered at runtime are dropped from every
/// variant, so the configuration always names existing channels.
/// </summary>
public static class DefaultComparisonConfig
{
    private const string ResourceName = "RecFramework.Analysis.Comparison.default-comparison.json";

    /// <summary>The embedded JSON text.</summary>
    public static string Json()
    {
        using var stream = typeof(DefaultComparisonConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from the RecFramework.Analysis assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Configuration entries of the embedded file restricted to <paramref name="registeredChannels"/>: channel lists keep
    /// only registered names (falling back to <paramref name="fallbackChannel"/> when none is left) and channel-scoped
    /// parameters ("itemcf.weight") of unregistered channels are removed.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Entries(IReadOnlyCollection<string> registeredChannels, string fallbackChannel)
    {
        ArgumentNullException.ThrowIfNull(registeredChannels);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Json()));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        var entries = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is null)
            {
                continue;
            }

            var name = key[(key.LastIndexOf(':') + 1)..];
            if (string.Equals(name, Pipeline.RecallParameterKeys.Channels, StringComparison.Ordinal))
            {
                var kept = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(registeredChannels.Contains).ToList();
                entries[key] = kept.Count > 0 ? string.Join(',', kept) : fallbackChannel;
            }
            else if (key.Contains(":Parameters:", StringComparison.OrdinalIgnoreCase) && name.Contains('.', StringComparison.Ordinal)
                && !registeredChannels.Contains(name[..name.IndexOf('.', StringComparison.Ordinal)]))
            {
                continue;
            }
            else
            {
                entries[key] = value;
            }
        }

        return entries;
    }
}

namespace RecFramework.Analysis.Evaluation;

/// <summary>The <c>--set NAME=VALUE</c> builder overrides of the <c>build</c> and <c>evaluate</c> commands.</summary>
public static class BuildParameters
{
    /// <summary>Parses NAME=VALUE pairs (later pairs win; names are case-insensitive).</summary>
    /// <exception cref="RecFrameworkException">A pair has no '=' or an empty name.</exception>
    public static Dictionary<string, string> Parse(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || pair[..eq].Trim().Length == 0)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"--set expects NAME=VALUE, got '{pair}'.");
            }

            result[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return result;
    }

    /// <summary>
    /// The overrides that apply to <paramref name="channel"/>: <c>channel.NAME</c> entries (prefix removed) and
    /// unprefixed ones, the prefixed ones winning.
    /// </summary>
    /// <exception cref="RecFrameworkException">A prefix names none of <paramref name="channels"/>.</exception>
    public static Dictionary<string, string> For(string channel, IReadOnlyDictionary<string, string> parameters, IReadOnlyCollection<string> channels)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in parameters.Where(p => !p.Key.Contains('.', StringComparison.Ordinal)))
        {
            result[key] = value;
        }

        foreach (var (key, value) in parameters.Where(p => p.Key.Contains('.', StringComparison.Ordinal)))
        {
            var prefix = key[..key.IndexOf('.', StringComparison.Ordinal)];
            if (!channels.Contains(prefix, StringComparer.Ordinal))
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"--set {key}: '{prefix}' is not one of the channels evaluated ({string.Join(", ", channels)}).");
            }

            if (prefix == channel)
            {
                result[key[(prefix.Length + 1)..]] = value;
            }
        }

        return result;
    }
}

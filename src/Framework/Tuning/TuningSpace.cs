using System.Globalization;

namespace RecFramework.Tuning;

/// <summary>
/// One builder option of a <see cref="TuningSpace"/> and the values a search may give it, written as build
/// parameters are (<see cref="RecFramework.Channels.ChannelBuildContext.Parameters"/>: invariant culture).
/// </summary>
/// <param name="Name">The build parameter (the option's property name).</param>
/// <param name="Values">Candidate values, at least one.</param>
public sealed record TuningParameter(string Name, IReadOnlyList<string> Values)
{
    /// <summary>A parameter over numbers (formatted with the invariant culture).</summary>
    public static TuningParameter Of<T>(string name, params T[] values)
        where T : IFormattable =>
        new(name, [.. values.Select(v => v.ToString(null, CultureInfo.InvariantCulture))]);

    /// <summary>A parameter over <c>false</c> and <c>true</c>.</summary>
    public static TuningParameter Bool(string name) => new(name, ["false", "true"]);
}

/// <summary>
/// The declared search space of a channel's builder options: each <see cref="TuningParameter"/> with its candidate
/// values. A configuration is one value per parameter; options left out keep their configured value.
/// </summary>
public sealed class TuningSpace
{
    /// <summary>Creates a space.</summary>
    /// <exception cref="ArgumentException">No parameter, a parameter without values, or a name given twice.</exception>
    public TuningSpace(IEnumerable<TuningParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        if (Parameters.Count == 0 || Parameters.Any(p => p.Values.Count == 0))
        {
            throw new ArgumentException("A tuning space needs at least one parameter, each with at least one value.", nameof(parameters));
        }

        if (Parameters.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != Parameters.Count)
        {
            throw new ArgumentException("A tuning space names each parameter once.", nameof(parameters));
        }
    }

    /// <summary>The parameters and their candidate values.</summary>
    public IReadOnlyList<TuningParameter> Parameters { get; }

    /// <summary>The number of distinct configurations.</summary>
    public long Size => Parameters.Aggregate(1L, (n, p) => checked(n * p.Values.Count));

    /// <summary>A space of <paramref name="parameters"/>.</summary>
    public static TuningSpace Of(params TuningParameter[] parameters) => new(parameters);

    /// <summary>A configuration drawn uniformly at random: one value per parameter.</summary>
    public IReadOnlyDictionary<string, string> Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in Parameters)
        {
            result[parameter.Name] = parameter.Values[random.Next(parameter.Values.Count)];
        }

        return result;
    }
}

/// <summary>
/// A channel builder that declares the search space of its options, for per-dataset tuning (the Analysis package's
/// <c>ChannelTuner</c>): the channel package states what is worth searching, the tuner how.
/// </summary>
public interface ITunableChannelBuilder
{
    /// <summary>The options worth searching and their candidate values.</summary>
    TuningSpace TuningSpace { get; }
}

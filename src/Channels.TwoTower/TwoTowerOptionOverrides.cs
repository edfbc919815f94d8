using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace RecFramework.Channels.TwoTower;

/// <summary>
/// Applies free-form build parameters ("epochs" = "5", "batch_size" = "1024", "mode" = "listwise") to a copy of
/// <see cref="TwoTowerOptions"/>: keys match property names ignoring case, '_' and '-'.
/// </summary>
internal static class TwoTowerOptionOverrides
{
    /// <summary>Build parameters that are not options (handled by the builder).</summary>
    public static readonly IReadOnlySet<string> BuilderKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "update", "parent", "checkpointdir", "hardnegatives", "delta", "maxdeltachain",
    };

    public static string Normalize(string key) => key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>A validated copy of <paramref name="options"/> with <paramref name="parameters"/> applied.</summary>
    /// <exception cref="RecFrameworkException">Unknown key, unparsable value, or a value outside its range.</exception>
    public static TwoTowerOptions Apply(TwoTowerOptions options, IReadOnlyDictionary<string, string> parameters)
    {
        var result = options.Clone();
        var properties = typeof(TwoTowerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => Normalize(p.Name));
        foreach (var (key, value) in parameters)
        {
            var normalized = Normalize(key);
            if (BuilderKeys.Contains(normalized))
            {
                continue;
            }

            if (!properties.TryGetValue(normalized, out var property))
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"Unknown two-tower parameter '{key}' (value '{value}').");
            }

            try
            {
                var type = property.PropertyType;
                object parsed = type.IsEnum
                    ? Enum.Parse(type, value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), ignoreCase: true)
                    : type == typeof(bool) ? bool.Parse(value)
                    : Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
                property.SetValue(result, parsed);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidCastException or OverflowException)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"Two-tower parameter '{key}': cannot parse '{value}' as {property.PropertyType.Name}.");
            }
        }

        Validate(result);
        return result;
    }

    /// <summary>Runs the DataAnnotations rules and throws with every failure.</summary>
    public static void Validate(TwoTowerOptions options)
    {
        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), failures, validateAllProperties: true))
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration, "Invalid two-tower options: " + string.Join("; ", failures.Select(f => f.ErrorMessage)));
        }
    }
}

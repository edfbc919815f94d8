using Microsoft.Extensions.Options;

namespace RecFramework.DependencyInjection;

/// <summary>
/// The named failures of a configuration error, for a program that reports them instead of a stack trace: options
/// validation at start-up (<c>ValidateOnStart</c>, every failing section and key) or a configuration file that does not
/// parse.
/// </summary>
public static class ConfigurationFailures
{
    /// <summary>
    /// The named failures when <paramref name="exception"/> is a configuration error: options validation (alone or
    /// several in an <see cref="AggregateException"/>, as host start-up throws them) or a configuration file that does
    /// not parse (<see cref="InvalidDataException"/>, with the parser's line and position); null for anything else.
    /// </summary>
    /// <param name="exception">What start-up (or the configuration builder) threw.</param>
    /// <returns>One message per failure, or null when <paramref name="exception"/> is not a configuration error.</returns>
    public static IReadOnlyList<string>? Of(Exception exception) => exception switch
    {
        null => throw new ArgumentNullException(nameof(exception)),
        OptionsValidationException validation => validation.Failures.ToArray(),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(e => Of(e) is not null) =>
            aggregate.InnerExceptions.SelectMany(e => Of(e)!).ToArray(),
        InvalidDataException data when data.InnerException is not null => [string.Join(" ", Messages(data).Distinct(StringComparer.Ordinal))],
        _ => null,
    };

    /// <summary>The messages of <paramref name="exception"/> and its inner exceptions, outermost first (the parser's position is innermost).</summary>
    private static IEnumerable<string> Messages(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e.Message;
        }
    }
}

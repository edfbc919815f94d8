namespace RecFramework.Host.Cli;

/// <summary>
/// Turns framework errors inside a command action into a one-line message and exit code 2, and runs command actions
/// one at a time per process: they write to the process-wide <c>AnsiConsole</c>, whose live displays (progress bars)
/// are exclusive, so a second command started in the same process (tests run in parallel, a host embedding the CLI)
/// failed with "interactive functions concurrently" and exit code 1 instead of waiting its turn.
/// </summary>
internal static class CliErrors
{
    private static readonly SemaphoreSlim s_console = new(1, 1);

    /// <summary>Runs <paramref name="action"/>; a <see cref="RecFrameworkException"/> prints "error (Code): message" to stderr and returns 2.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        await s_console.WaitAsync().ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (RecFrameworkException ex)
        {
            await Console.Error.WriteLineAsync($"error ({ex.Error}): {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        finally
        {
            s_console.Release();
        }
    }

    /// <summary>
    /// The named failures when <paramref name="ex"/> is a configuration error: options validation (alone or several
    /// in an <see cref="AggregateException"/>, as host start-up throws them) or a configuration file that does not
    /// parse (<see cref="InvalidDataException"/>, with the parser's line and position); null for anything else.
    /// </summary>
    public static IReadOnlyList<string>? ConfigurationFailures(Exception ex) => ex switch
    {
        Microsoft.Extensions.Options.OptionsValidationException validation => validation.Failures.ToArray(),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(e => ConfigurationFailures(e) is not null) =>
            aggregate.InnerExceptions.SelectMany(e => ConfigurationFailures(e)!).ToArray(),
        InvalidDataException data when data.InnerException is not null => [string.Join(" ", Messages(data).Distinct(StringComparer.Ordinal))],
        _ => null,
    };

    /// <summary>The messages of <paramref name="ex"/> and its inner exceptions, outermost first (the parser's position is innermost).</summary>
    private static IEnumerable<string> Messages(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            yield return e.Message;
        }
    }
}

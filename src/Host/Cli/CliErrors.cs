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
            return await FailAsync($"error ({ex.Error}): {ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            s_console.Release();
        }
    }

    /// <summary>Prints <paramref name="message"/> and then each of <paramref name="failures"/> on its own line to stderr; returns exit code 2.</summary>
    public static async Task<int> FailAsync(string message, IEnumerable<string>? failures = null)
    {
        await Console.Error.WriteLineAsync(message).ConfigureAwait(false);
        foreach (var failure in failures ?? [])
        {
            await Console.Error.WriteLineAsync("  - " + failure).ConfigureAwait(false);
        }

        return 2;
    }
}

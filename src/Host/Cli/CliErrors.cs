namespace RecFramework.Host.Cli;

/// <summary>Turns framework errors inside a command action into a one-line message and exit code 2.</summary>
internal static class CliErrors
{
    /// <summary>Runs <paramref name="action"/>; a <see cref="RecFrameworkException"/> prints "error (Code): message" to stderr and returns 2.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (RecFrameworkException ex)
        {
            await Console.Error.WriteLineAsync($"error ({ex.Error}): {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}

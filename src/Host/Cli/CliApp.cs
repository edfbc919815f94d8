using System.CommandLine;
using System.Reflection;
using RecFramework.DependencyInjection;

namespace RecFramework.Host.Cli;

/// <summary>The <c>recfw</c> command line: every <see cref="ICliCommand"/> in this assembly, ordered by name.</summary>
public static class CliApp
{
    /// <summary>The root command with every verb of the Host.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("RecFramework: recall-stage recommender with built-in A/B testing.");
        var commands = typeof(CliApp).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Create())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var command in commands)
        {
            root.Add(command);
        }

        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the verb; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            // System.CommandLine gives an action 2 s after SIGTERM/Ctrl+C before it returns (and the process exits).
            // The service drains in-flight requests for up to RecFramework:Host:ShutdownTimeoutSeconds, so for
            // `serve` (and `worker`, whose update stops at its next cancellation check) the generic host's console lifetime handles the signal alone and decides when to exit.
            // Without the default handler, a failure inside an action reaches the catches below (named failures, exit
            // code 2) instead of System.CommandLine's stack trace and exit code 1.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (args.Length > 0 && args[0] is "serve" or "worker")
            {
                invocation.ProcessTerminationTimeout = null;
            }

            return await CreateRootCommand().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (RecFrameworkException ex)
        {
            return await CliErrors.FailAsync($"error ({ex.Error}): {ex.Message}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ConfigurationFailures.Of(ex) is { } failures)
        {
            return await CliErrors.FailAsync("invalid configuration:", failures).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // What the default handler did: the whole exception and exit code 1, for failures that are bugs.
            await Console.Error.WriteLineAsync("Unhandled exception: " + ex).ConfigureAwait(false);
            return 1;
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using RecFramework.Data;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary>
/// The data of <c>build --from-log</c>: a window of the configured event log (SQLite at
/// <c>RecFramework:Stores:EventsPath</c>, or the Redis stream when Redis is configured) with the profiles of the
/// profile stores and, when given, of the <c>--data</c> data set.
/// </summary>
internal static class EventLogInput
{
    /// <summary>The window of <c>--since</c> / <c>--until</c> at the provider's current time.</summary>
    public static EventLogWindow Window(IServiceProvider provider, string since, string? until) =>
        EventLogWindow.Parse(since, until, (provider.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow());

    /// <summary>The configured event log with the profile stores; refuses a SQLite log that does not exist.</summary>
    public static EventLogDataSource Source(IServiceProvider provider, bool redis) =>
        EventLogDataSource.FromServices(provider, requireExistingFile: !redis);

    /// <summary>Reads the window; refuses a missing SQLite log and an empty window with a message naming them.</summary>
    public static async Task<InteractionDataset> LoadAsync(IServiceProvider provider, bool redis, string since, string? until, InteractionDataset? profiles, CancellationToken cancellationToken)
    {
        var window = Window(provider, since, until);
        var source = Source(provider, redis);
        var load = await source.LoadAsync(window, new EventLogLoadOptions { Profiles = profiles }, cancellationToken).ConfigureAwait(false);
        if (load.IsEmpty)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"The event log holds no events from {window.Since:u} to {window.Until:u} (--since '{since}'{(until is null ? "" : $", --until '{until}'")}; {load.Scanned:N0} events read); nothing was built.");
        }

        AnsiConsole.MarkupLine(Markup.Escape("event log " + load.Describe()));
        return load.Dataset;
    }
}

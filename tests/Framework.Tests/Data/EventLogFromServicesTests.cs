using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Stores;

namespace RecFramework.Tests.Data;

/// <summary>An event-log source over what <c>AddRecFramework</c> registered, and the one-line description of a load.</summary>
public sealed class EventLogFromServicesTests
{
    private static ServiceProvider Provider(string eventsPath)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("RecFramework:Stores:EventsPath", eventsPath)]).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AMissingEmbeddedLogIsRefusedByNameAndNotCreated()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "typo", "events.db");
        await using var provider = Provider(path);

        var ex = Assert.Throws<RecFrameworkException>(() => EventLogDataSource.FromServices(provider, requireExistingFile: true));

        Assert.Equal(RecError.InvalidArgument, ex.Error);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("RecFramework:Stores:EventsPath", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "refusing does not create the log");
    }

    [Fact]
    public async Task TheSourceReadsTheRegisteredLogAndDescribesTheLoad()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "events.db");
        await using var provider = Provider(path);
        var events = provider.GetRequiredService<IEventStore>();
        await events.AppendAsync(
        [
            new EventRecord(new Interaction(1, 10, InteractionType.Click, 1_000)),
            new EventRecord(new Interaction(2, 10, InteractionType.Like, 2_000)),
            new EventRecord(new Interaction(2, 11, InteractionType.Click, 9_000)),
        ]);

        var source = EventLogDataSource.FromServices(provider, requireExistingFile: true);
        var load = await source.LoadAsync(new EventLogWindow(DateTimeOffset.FromUnixTimeSeconds(0), DateTimeOffset.FromUnixTimeSeconds(5_000)));

        Assert.Equal(2, load.Dataset.Interactions.Length);
        Assert.Equal(3, load.Scanned);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Assert.Equal("1970-01-01 00:00:00Z .. 1970-01-01 01:23:20Z: 2 events of 3 read, 2 new users, 1 new items", load.Describe());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}

using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Channels.ItemCF;
using RecFramework.DependencyInjection;
using RecFramework.Host.Cli;
using RecFramework.Lifecycle;
using RecFramework.Stores;

namespace RecFramework.Host.Tests.Cli;

/// <summary><c>build &lt;channel&gt; --from-log --since …</c>: a channel built from a window of the service's event log.</summary>
public sealed class BuildFromLogCommandTests : IDisposable
{
    private const long T0 = 1_800_000_000;
    private const long NewItem = 9_001;
    private const long OldItem = 7_777;

    private readonly string _dir = Directory.CreateTempSubdirectory("recfw-cli-fromlog-").FullName;
    private readonly string _events;
    private readonly string _artifacts;
    private readonly string _config;

    public BuildFromLogCommandTests()
    {
        _events = Path.Combine(_dir, "events.db");
        _artifacts = Path.Combine(_dir, "artifacts");
        _config = Path.Combine(_dir, "config.json");
        File.WriteAllText(_config, $$"""
            { "RecFramework": { "Stores": { "EventsPath": "{{_events.Replace("\\", "\\\\", StringComparison.Ordinal)}}" },
                                "Artifacts": { "Root": "{{_artifacts.Replace("\\", "\\\\", StringComparison.Ordinal)}}" } } }
            """);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Before the window: users click the old item 7777 with item 1. In the window: 40 users click items 1..4 and
    /// ten of them (new users 500..509) also click the brand-new item 9001 together with item 3.
    /// </summary>
    private async Task WriteLogAsync()
    {
        await using var store = new SqliteEventStore(_events);
        var events = new List<EventRecord>();
        for (var u = 0; u < 20; u++)
        {
            events.Add(new(new Interaction(u, OldItem, InteractionType.Click, T0 - 10_000 + u)));
            events.Add(new(new Interaction(u, 1, InteractionType.Click, T0 - 9_000 + u)));
        }

        for (var u = 0; u < 40; u++)
        {
            for (var item = 1; item <= 4; item++)
            {
                events.Add(new(new Interaction(u, item + (u % 2 * 4), InteractionType.Click, T0 + (u * 10) + item)));
            }
        }

        for (var u = 500; u < 510; u++)
        {
            events.Add(new(new Interaction(u, 3, InteractionType.Click, T0 + 1_000 + u)));
            events.Add(new(new Interaction(u, NewItem, InteractionType.Click, T0 + 1_001 + u)));
        }

        await store.AppendAsync(events);
    }

    [Theory]
    [InlineData("itemcf")]
    [InlineData("swing")]
    public async Task BuildsFromTheWindowSoANewItemGetsNeighbours(string name)
    {
        await WriteLogAsync();

        var code = await Run("build", name, "--from-log", "--since", Iso(T0), "--until", Iso(T0 + 5_000), "--config", _config);

        Assert.Equal(0, code);
        var manifest = new FileArtifactStore(_artifacts).Open(name).Manifest;
        Assert.StartsWith("events-", manifest.Dataset, StringComparison.Ordinal);
        Assert.True(manifest.DataFrom >= T0, $"built from {manifest.DataFrom}, before the window");

        var configuration = new ConfigurationBuilder().AddJsonFile(_config).Build();
        var services = new ServiceCollection().AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddRecFramework(configuration).AddItemCFChannel().AddSwingChannel();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ChannelLifecycle>().ActivateVersionAsync(name, null);
        var channel = provider.GetRequiredKeyedService<IRecallChannel>(name);

        var fresh = await channel.RecallAsync(new RecallRequest { UserId = 999, K = 5, History = [new Interaction(999, NewItem, InteractionType.Click, T0 + 4_000)] }, CancellationToken.None);
        var old = await channel.RecallAsync(new RecallRequest { UserId = 999, K = 5, History = [new Interaction(999, OldItem, InteractionType.Click, T0 + 4_000)] }, CancellationToken.None);

        Assert.Contains(fresh.Items, i => i.ItemId == 3);
        Assert.Empty(old.Items); // 7777 was clicked only before the window
    }

    [Theory]
    [InlineData("--since", "24x", "--since '24x' is neither a duration")]
    [InlineData("--since", "2h", "--until", "3h", "must start before it ends")]
    [InlineData("--since", "2020-01-01T00:00:00", "--until", "2020-01-02T00:00:00", "holds no events from 2020-01-01 00:00:00Z")]
    public async Task ABadOrEmptyWindowExitsTwoWithAMessageNamingIt(params string[] window)
    {
        await WriteLogAsync();

        var (code, output) = await RunExecutableAsync(["build", "itemcf", "--from-log", .. window[..^1], "--config", _config]);

        Assert.True(code == 2, output);
        Assert.Contains(window[^1], output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_artifacts, "itemcf")) && Directory.EnumerateFileSystemEntries(Path.Combine(_artifacts, "itemcf")).Any(), "nothing is published");
    }

    [Fact]
    public async Task AMissingLogOrAMissingSourceIsRefused()
    {
        var missing = await RunExecutableAsync("build", "itemcf", "--from-log", "--config", _config);
        Assert.True(missing.Code == 2, missing.Output);
        Assert.Contains($"The event log '{_events}'", missing.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_events), "reading does not create the log");

        Assert.Equal(2, await Run("build", "itemcf", "--config", _config));
        Assert.Equal(2, await Run("build", "itemcf", "--since", "24h", "--config", _config));
    }

    private static string Iso(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<int> Run(params string[] args) => CliApp.CreateRootCommand().Parse(args).InvokeAsync();

    private Task<(int Code, string Output)> RunExecutableAsync(params string[] args) => HostExecutable.RunAsync(_dir, ownStores: false, args);
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;
using RecFramework.Stores;

namespace RecFramework.Tests.Fakes;

/// <summary>Builds a real container with fake channels and in-memory configuration.</summary>
internal static class PipelineFixture
{
    public static ServiceProvider Build(IDictionary<string, string?> settings, params FakeRecallChannel[] channels) =>
        Build(settings, _ => { }, channels);

    public static ServiceProvider Build(IDictionary<string, string?> settings, Action<IServiceCollection> configure, params FakeRecallChannel[] channels)
    {
        foreach (var channel in channels.Select(c => c.Name).Append("popular"))
        {
            // Generous defaults: tests run on 2 busy cores; only timeout tests set short timeouts.
            var key = $"RecFramework:Channels:{channel}:TimeoutMs";
            if (!settings.ContainsKey(key))
            {
                settings[key] = "10000";
            }
        }

        settings.TryAdd("RecFramework:Pipeline:RequestTimeoutMs", "20000");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var builder = services.AddRecFramework(configuration);
        foreach (var channel in channels)
        {
            builder.Services.AddSingleton(new ChannelRegistration(channel.Name, typeof(FakeRecallChannel)));
            builder.Services.AddKeyedSingleton<IRecallChannel>(channel.Name, channel);
            builder.Services.AddOptions<ChannelOptions>(channel.Name).BindConfiguration($"RecFramework:Channels:{channel.Name}");
        }

        configure(services);
        return services.BuildServiceProvider(validateScopes: true);
    }

    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] pairs)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RecFramework:Artifacts:Root"] = Path.Combine(Path.GetTempPath(), "recfw-tests", Guid.NewGuid().ToString("N")),
            ["RecFramework:Stores:PopularityRefreshMs"] = "0",
        };
        foreach (var (key, value) in pairs)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task SeedHistoryAsync(IServiceProvider services, long user, params long[] items)
    {
        var store = services.GetRequiredService<IUserHistoryStore>();
        var t = 1000L;
        foreach (var item in items)
        {
            await store.AppendAsync(new Interaction(user, item, InteractionType.Click, t++));
        }
    }

    public static async Task SeedPopularityAsync(IServiceProvider services, params long[] itemsMostPopularFirst)
    {
        var counts = new Dictionary<long, double>();
        for (var i = 0; i < itemsMostPopularFirst.Length; i++)
        {
            counts[itemsMostPopularFirst[i]] = itemsMostPopularFirst.Length - i;
        }

        await services.GetRequiredService<IItemPopularityStore>().ReplaceAsync(counts);
    }
}

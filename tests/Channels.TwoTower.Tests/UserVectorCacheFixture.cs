using RecFramework.Artifacts;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>Two small trained two-tower versions without history input and one with, shared by the cache tests.</summary>
public sealed class UserVectorCacheFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rf-twotower-cache-" + Guid.NewGuid().ToString("N"));

    public UserVectorCacheFixture()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        Train = train;
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 2;
        var (builder, store) = EndToEndTests.Create(_root, options);
        First = EndToEndTests.BuildAsync(builder, store, train).GetAwaiter().GetResult();
        Second = EndToEndTests.BuildAsync(builder, store, train, new() { ["Epochs"] = "3" }).GetAwaiter().GetResult();
        WithHistory = EndToEndTests.BuildAsync(builder, store, train, new() { ["HistoryLength"] = "4" }).GetAwaiter().GetResult();
    }

    public RecFramework.Data.InteractionDataset Train { get; }

    public ArtifactHandle First { get; }

    public ArtifactHandle Second { get; }

    public ArtifactHandle WithHistory { get; }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

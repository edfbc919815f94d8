using RecFramework.Data.Synthetic;

namespace RecFramework.Host.Tests;

/// <summary>A small seeded synthetic dataset on disk and the settings that build every channel from it quickly.</summary>
internal static class SmallCatalog
{
    public const int Users = 300;

    /// <summary>Channels with artifacts in the Host's default composition.</summary>
    public static readonly string[] ArtifactChannels = ["popular", "itemcf", "swing", "usercf", "two-tower"];

    /// <summary>Writes the dataset into a new temp folder and returns it.</summary>
    public static string Write()
    {
        var dir = Path.Combine(Path.GetTempPath(), "recfw-small-catalog", Guid.NewGuid().ToString("N"));
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = Users, Items = 200, Clusters = 5, Interactions = 6_000, Days = 10, Seed = 11 });
        SyntheticGenerator.Write(data, dir);
        return dir;
    }

    /// <summary>Settings for a tiny two-tower model on the native Faiss index, an admin key and a temp event log.</summary>
    public static Dictionary<string, string?> Settings(string root, string? adminKey = "test-key") => new()
    {
        ["RecFramework:Stores:EventsPath"] = Path.Combine(root, "events.db"),
        ["RecFramework:ExposureLog:Path"] = Path.Combine(root, "exposures.jsonl"),
        ["RecFramework:Artifacts:Root"] = Path.Combine(root, "artifacts"),
        ["RecFramework:Service:AdminApiKey"] = adminKey,
        ["RecFramework:Channels:two-tower:Options:Dimension"] = "16",
        ["RecFramework:Channels:two-tower:Options:IdEmbeddingDimension"] = "16",
        ["RecFramework:Channels:two-tower:Options:FeatureEmbeddingDimension"] = "8",
        ["RecFramework:Channels:two-tower:Options:HiddenLayers"] = "32",
        ["RecFramework:Channels:two-tower:Options:BatchSize"] = "256",
        ["RecFramework:Channels:two-tower:Options:Epochs"] = "2",
        ["RecFramework:Channels:two-tower:Options:FrequencyHashSlots"] = "4096",
        ["RecFramework:Channels:two-tower:Options:IndexDescription"] = "Flat",
    };
}

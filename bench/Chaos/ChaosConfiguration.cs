namespace RecFramework.Bench.Chaos;

/// <summary>
/// The <c>--config</c> file of the chaos service: a valid one (cheap CF channels; two-tower only in the full mode), a
/// syntactically broken one and a semantically invalid experiment configuration (overlapping experiments, a variant
/// naming an unknown channel, shares that do not add up).
/// </summary>
internal static class ChaosConfiguration
{
    public static string Valid(bool twoTower) => $$"""
        {
          "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.AspNetCore": "Warning" } },
          "RecFramework": {
            "Pipeline": { "DefaultK": 50, "RequestTimeoutMs": 5000 },
            "ChannelDefaults": { "TimeoutMs": 2000 },
            "VectorIndex": { "Description": "Flat", "Threads": 1, "BlasThreads": 1 },
            "Channels": {
              "popular": { "Enabled": true, "Quota": 100 },
              "itemcf": { "Enabled": true, "Quota": 100 },
              "swing": { "Enabled": true, "Quota": 100 },
              "usercf": { "Enabled": true, "Quota": 100 },
              "two-tower": {
                "Enabled": {{(twoTower ? "true" : "false")}}, "Quota": 100,
                "Options": { "Dimension": 16, "IdEmbeddingDimension": 16, "HiddenLayers": "32", "Epochs": 1, "Threads": 1, "ValidationFraction": 0, "Patience": 0, "IndexDescription": "Flat" }
              }
            }
          }
        }
        """;

    public const string Broken = """{ "RecFramework": { "Pipeline": { "DefaultK": 50, """;

    public static string InvalidExperiments(bool twoTower) => Valid(twoTower).TrimEnd().TrimEnd('}').TrimEnd().TrimEnd('}') + """
        ,
            "Experiments": {
              "BucketCount": 100,
              "Layers": [
                {
                  "Name": "recall",
                  "Salt": "chaos",
                  "Experiments": [
                    { "Name": "a", "Status": "Running", "Buckets": [ "0-59" ],
                      "Variants": [ { "Name": "control", "Share": 0.5 }, { "Name": "treatment", "Share": 0.7, "Parameters": { "channels": "no-such-channel" } } ] },
                    { "Name": "b", "Status": "Running", "Buckets": [ "50-99" ],
                      "Variants": [ { "Name": "control", "Share": 1.0 } ] }
                  ]
                }
              ]
            }
          }
        }
        """;
}

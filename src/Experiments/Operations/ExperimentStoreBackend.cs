namespace RecFramework.Experiments.Operations;

/// <summary>Where the experiment store keeps its versioned configuration (<see cref="ExperimentStoreOptions.Backend"/>).</summary>
public enum ExperimentStoreBackend
{
    /// <summary>A JSON file (<see cref="ExperimentStoreOptions.Path"/>) on a volume every replica and the CLI reach.</summary>
    File = 0,

    /// <summary>
    /// Redis, on the connection and key prefix of the Redis stores (<c>RecFramework:Stores:Redis</c>; needs
    /// <c>AddRedisStores</c>, which the Host calls when <c>RecFramework:Stores:Redis:Configuration</c> is set).
    /// </summary>
    Redis = 1,
}

namespace RecFramework.Data;

/// <summary>How <see cref="EventLogDataSource.LoadAsync"/> turns a window of the event log into a dataset.</summary>
public sealed record EventLogLoadOptions
{
    /// <summary>
    /// The data set that gives the profile schemas and the profiles the stores lack (typically the service's start-up
    /// data, <c>RecFramework:Startup:DataPath</c>); its interactions are not part of the result, they only tell which
    /// users and items are new (<see cref="EventLogLoad.NewUsers"/>). Null: profiles come from the stores only, and
    /// without a schema the result carries no profiles (id features only).
    /// </summary>
    public InteractionDataset? Profiles { get; init; }

    /// <summary>
    /// Malformed events (an unknown event type, a weight that is not finite) and profiles that do not fit the schema:
    /// strict by default (the first one throws <see cref="RecError.MalformedInput"/>), or skipped and counted.
    /// </summary>
    public LoadOptions Validation { get; init; } = LoadOptions.Strict;

    /// <summary>Dataset name in reports and manifests; null: <c>events-{since}-{until}</c> in compact UTC.</summary>
    public string? Name { get; init; }

    /// <summary>Events asked of the store per read (the memory a read holds beyond the events kept).</summary>
    public int PageSize { get; init; } = 10_000;
}

namespace RecFramework;

/// <summary>Profiles of users or items under one schema, looked up by external id.</summary>
public sealed class ProfileTable
{
    private readonly Dictionary<long, Profile> _profiles;

    /// <summary>Creates a table; every profile must have one value list per schema field.</summary>
    public ProfileTable(FeatureSchema schema, IEnumerable<Profile> profiles)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(profiles);
        Schema = schema;
        _profiles = new Dictionary<long, Profile>();
        foreach (var profile in profiles)
        {
            if (profile.Values.Count != schema.Fields.Count)
            {
                throw new RecFrameworkException(RecError.MalformedInput,
                    $"Profile {profile.Id} has {profile.Values.Count} fields but the schema has {schema.Fields.Count}.");
            }

            _profiles[profile.Id] = profile;
        }
    }

    /// <summary>An empty table with an empty schema.</summary>
    public static ProfileTable Empty { get; } = new(FeatureSchema.Empty, []);

    /// <summary>The schema the profiles follow.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Number of profiles.</summary>
    public int Count => _profiles.Count;

    /// <summary>All profiles (no particular order).</summary>
    public IEnumerable<Profile> All => _profiles.Values;

    /// <summary>Looks up a profile.</summary>
    public bool TryGet(long id, out Profile profile) => _profiles.TryGetValue(id, out profile!);
}

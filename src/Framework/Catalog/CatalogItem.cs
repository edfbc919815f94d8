namespace RecFramework.Catalog;

/// <summary>
/// What the <see cref="IItemCatalog"/> knows about one item: its profile fields by name (multi-valued: genres, tags;
/// single: author, category), when it was published, and when it was first seen in an event.
/// </summary>
/// <param name="ItemId">External item id.</param>
/// <param name="Fields">Raw values per field name (ordinal, case-sensitive); a field with no value may be absent.</param>
public sealed record CatalogItem(long ItemId, IReadOnlyDictionary<string, string[]> Fields)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoFields = new Dictionary<string, string[]>();

    /// <summary>An item known only by id (no fields yet).</summary>
    public CatalogItem(long itemId)
        : this(itemId, NoFields)
    {
    }

    /// <summary>Publication time, when the data gives one.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>Time of the earliest event seen for the item (start-up data or live events).</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>The time "newest" orders by: <see cref="PublishedAt"/>, else <see cref="FirstSeen"/>, else null.</summary>
    public DateTimeOffset? Time => PublishedAt ?? FirstSeen;

    /// <summary>Every value of <paramref name="field"/> (empty when the item has none).</summary>
    public IReadOnlyList<string> Values(string field) => Fields.TryGetValue(field, out var values) ? values : [];

    /// <summary>The first value of <paramref name="field"/>, or null.</summary>
    public string? Value(string field) => Fields.TryGetValue(field, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>
    /// The catalogue entry of an item profile: every schema field with at least one value, and
    /// <see cref="PublishedAt"/> from <paramref name="publishTimeField"/> when the profile has it (see
    /// <see cref="ParseTime"/> for the accepted forms).
    /// </summary>
    /// <exception cref="RecFrameworkException">The publish time field holds a value that is not a time.</exception>
    public static CatalogItem FromProfile(Profile profile, FeatureSchema schema, string? publishTimeField = ItemCatalogOptions.DefaultPublishTimeField)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(schema);
        var fields = new ProfileFields(schema, profile.Values);

        DateTimeOffset? published = null;
        if (publishTimeField is { Length: > 0 } && fields.TryGetValue(publishTimeField, out var raw))
        {
            published = ParseTime(raw[0]) ?? throw new RecFrameworkException(RecError.MalformedInput,
                $"Item {profile.Id}: {publishTimeField} = '{raw[0]}' is not a year, unix seconds or an ISO-8601 time.");
        }

        return new CatalogItem(profile.Id, fields) { PublishedAt = published };
    }

    /// <summary>
    /// Reads a time as data files give it: an integer of at most 4 digits is a year (1 January, UTC), a longer integer
    /// is unix seconds, anything else is parsed as ISO-8601 (UTC when no offset is given). Null when none fits.
    /// </summary>
    public static DateTimeOffset? ParseTime(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return text.TrimStart('-').Length <= 4
                ? number is >= 1 and <= 9999 ? new DateTimeOffset((int)number, 1, 1, 0, 0, 0, TimeSpan.Zero) : null
                : DateTimeOffset.FromUnixTimeSeconds(number);
        }

        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }
}

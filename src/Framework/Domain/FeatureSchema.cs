namespace RecFramework;

/// <summary>The ordered list of features describing users or items; two-tower towers read it.</summary>
public sealed record FeatureSchema
{
    /// <summary>Creates a schema; names must be unique.</summary>
    public FeatureSchema(IReadOnlyList<FeatureSpec> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (!seen.Add(field.Name))
            {
                throw new RecFrameworkException(RecError.InvalidConfiguration, $"Feature '{field.Name}' appears twice in the schema.");
            }
        }

        Fields = fields;
    }

    /// <summary>An empty schema.</summary>
    public static FeatureSchema Empty { get; } = new([]);

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<FeatureSpec> Fields { get; }

    /// <summary>Index of the field named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}

namespace RecFramework.Channels.TwoTower.Features;

/// <summary>The fitted encoding of one profile field (serialised with the artifact).</summary>
internal sealed class FieldEncoding
{
    /// <summary>Schema field name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Index in the profile's value list.</summary>
    public int SchemaIndex { get; set; }

    /// <summary>Kind in the schema.</summary>
    public FeatureKind Kind { get; set; }

    /// <summary>True when a continuous field is bucketised (then it is encoded as a categorical slot).</summary>
    public bool Bucketized { get; set; }

    /// <summary>log1p before bucketising.</summary>
    public bool Log { get; set; }

    /// <summary>Vocabulary: slot i + 1 holds Vocabulary[i]; slot 0 is missing / unknown.</summary>
    public List<string> Vocabulary { get; set; } = [];

    /// <summary>Mean for normalised continuous fields.</summary>
    public double Mean { get; set; }

    /// <summary>Standard deviation for normalised continuous fields.</summary>
    public double Std { get; set; } = 1;

    /// <summary>Ascending bucket upper boundaries for bucketised fields.</summary>
    public List<double> Boundaries { get; set; } = [];

    /// <summary>Offset of this field's slots in the shared table.</summary>
    public long Offset { get; set; }

    /// <summary>Number of slots including slot 0.</summary>
    public long Slots => Bucketized ? Boundaries.Count + 2 : Vocabulary.Count + 1;
}

namespace RecFramework.Artifacts;

/// <summary>The manifest of one versioned channel artifact (<c>manifest.json</c> in its directory).</summary>
public sealed record ArtifactManifest
{
    /// <summary>Channel the artifact belongs to.</summary>
    public required string Channel { get; init; }

    /// <summary>Version label, unique per channel ("v0001", …).</summary>
    public required string Version { get; init; }

    /// <summary>When the artifact was published.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Name of the dataset snapshot it was built from.</summary>
    public string Dataset { get; init; } = "";

    /// <summary>Earliest interaction timestamp used (unix seconds).</summary>
    public long DataFrom { get; init; }

    /// <summary>Latest interaction timestamp used (unix seconds).</summary>
    public long DataTo { get; init; }

    /// <summary>Version this one was derived from (warm start, incremental update), if any.</summary>
    public string? Parent { get; init; }

    /// <summary>Fingerprint of the data the version was built from (null in manifests written before it was recorded).</summary>
    public Data.DataFingerprint? Data { get; init; }

    /// <summary>Build / validation figures (training loss, recall on a validation slice, build seconds…).</summary>
    public Dictionary<string, double> Metrics { get; init; } = [];

    /// <summary>
    /// The <see cref="Properties"/> key naming the version this one is stored as a delta over (its files are read
    /// together with that version's): retention keeps that version, and its own delta parent, while this one is kept.
    /// </summary>
    public const string DeltaOfProperty = "delta_of";

    /// <summary>The version this one is stored as a delta over (<see cref="DeltaOfProperty"/>), or null for a whole version.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? DeltaOf => Properties.TryGetValue(DeltaOfProperty, out var parent) && parent.Length > 0 ? parent : null;

    /// <summary>Free-form properties (hyper-parameters, index description…).</summary>
    public Dictionary<string, string> Properties { get; init; } = [];

    /// <summary>Files of the artifact with their sizes and checksums, filled in when publishing.</summary>
    public List<ArtifactFile> Files { get; init; } = [];
}

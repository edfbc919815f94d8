namespace RecFramework.Channels.TwoTower.Import;

/// <summary>What <see cref="TwoTowerImport.ImportAsync"/> publishes as a new two-tower version.</summary>
public sealed record TwoTowerImportRequest
{
    /// <summary>The ONNX user tower.</summary>
    public required string OnnxPath { get; init; }

    /// <summary>The input contract (<see cref="ImportContract"/>, JSON); vocabulary files are relative to it.</summary>
    public required string ContractPath { get; init; }

    /// <summary>Item vectors: a <c>.npy</c> file (float32 [n, d], with <see cref="IdsPath"/>) or a <c>.parquet</c> file (item_id, v0 … v{d-1}).</summary>
    public required string VectorsPath { get; init; }

    /// <summary>Item ids of a .npy file, one per line in row order; not used with Parquet.</summary>
    public string? IdsPath { get; init; }

    /// <summary>Channel to publish to.</summary>
    public string Channel { get; init; } = TwoTowerChannel.ChannelName;

    /// <summary>The catalogue: when given, vectors of items outside it are refused.</summary>
    public IReadOnlySet<long>? Catalogue { get; init; }

    /// <summary>
    /// The user feature schema (the user profile store's, e.g. the data set's <c>Users.Schema</c>): resolves the profile
    /// fields of <c>profile</c> inputs by name and checks their kinds; none: each field must carry its <c>index</c>.
    /// </summary>
    public FeatureSchema? UserSchema { get; init; }

    /// <summary>Vector index description (as <see cref="TwoTowerOptions.IndexDescription"/>), e.g. "Flat", "HNSW32".</summary>
    public string IndexDescription { get; init; } = "Flat";

    /// <summary>Seed of the index build (k-means sampling).</summary>
    public int Seed { get; init; } = 42;
}

using System.Text.Json;
using RecFramework.Artifacts;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// A loaded neighbourhood artifact: the neighbour index (item → items or user → users) and the user → last-N index,
/// with the version they came from and the options it was built with (online scoring uses them, so likes computed
/// online from request history agree with the likes of the offline index; changing options means rebuilding).
/// Immutable; channels swap the whole reference on activation. Managed memory only: <see cref="Dispose"/> releases
/// nothing and exists so the artifact can live in an <see cref="ArtifactVersions{T}"/>.
/// </summary>
internal sealed class CfArtifact : IDisposable
{
    /// <summary>File of the neighbour index.</summary>
    public const string NeighboursFile = "neighbours.csr";

    /// <summary>File of the user → last-N items index.</summary>
    public const string HistoryFile = "history.csr";

    /// <summary>Manifest property holding the build's effective options as JSON.</summary>
    public const string OptionsProperty = "options";

    /// <summary>Creates the snapshot and checks that the two indexes share their id spaces.</summary>
    public CfArtifact(string version, CsrMatrix neighbours, CsrMatrix history, bool userNeighbours, NeighbourhoodOptions options, string source = "(memory)")
    {
        var shared = userNeighbours ? history.RowIds : history.ColumnIds;
        if (!neighbours.RowIds.AsSpan().SequenceEqual(shared) || !neighbours.ColumnIds.AsSpan().SequenceEqual(shared))
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt,
                $"Artifact '{source}': {NeighboursFile} ({neighbours.RowCount} rows) and {HistoryFile} ({history.RowCount} users, {history.ColumnIds.Length} items) do not share their {(userNeighbours ? "user" : "item")} ids.");
        }

        Version = version;
        Neighbours = neighbours;
        History = history;
        Options = options;
        LikeModel = new LikeModel(options);
    }

    /// <summary>The options the artifact was built with.</summary>
    public NeighbourhoodOptions Options { get; }

    /// <summary>Like model of <see cref="Options"/>.</summary>
    public LikeModel LikeModel { get; }

    /// <summary>Artifact version.</summary>
    public string Version { get; }

    /// <summary>Neighbour index.</summary>
    public CsrMatrix Neighbours { get; }

    /// <summary>User → last-N items (newest first, likes as values).</summary>
    public CsrMatrix History { get; }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>
    /// This artifact with the neighbour index emptied but its id spaces kept (rows and column ids), for channels that
    /// read the lists from a <see cref="RecFramework.Stores.INeighbourListStore"/>: the entries are the bulk of the
    /// artifact's memory.
    /// </summary>
    public CfArtifact WithoutNeighbourLists(bool userNeighbours) => new(
        Version,
        new CsrMatrix(Neighbours.RowIds, Neighbours.ColumnIds, new int[Neighbours.RowCount + 1], [], []),
        History,
        userNeighbours,
        Options);

    /// <summary>
    /// Loads an artifact of <paramref name="expectedChannel"/>; its recorded build options replace
    /// <paramref name="fallback"/> (used only for artifacts that carry none).
    /// </summary>
    /// <exception cref="RecFrameworkException">Wrong channel or a corrupt file (<see cref="RecError.ArtifactCorrupt"/>).</exception>
    public static CfArtifact Load<TOptions>(ArtifactHandle handle, string expectedChannel, bool userNeighbours, TOptions fallback)
        where TOptions : NeighbourhoodOptions
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.Manifest.Channel != expectedChannel)
        {
            throw new RecFrameworkException(RecError.InvalidArgument,
                $"Artifact '{handle.Directory}' belongs to channel '{handle.Manifest.Channel}', not '{expectedChannel}'.");
        }

        var neighbours = ArtifactFileLoad.Read(handle.PathOf(NeighboursFile), CsrFile.Read);
        var history = ArtifactFileLoad.Read(handle.PathOf(HistoryFile), CsrFile.Read);
        NeighbourhoodOptions options = fallback;
        if (handle.Manifest.Properties.TryGetValue(OptionsProperty, out var json))
        {
            try
            {
                options = JsonSerializer.Deserialize<TOptions>(json) ?? fallback;
            }
            catch (JsonException ex)
            {
                throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact '{handle.Directory}': manifest property '{OptionsProperty}' is not valid {typeof(TOptions).Name} JSON: {ex.Message}", ex);
            }
        }

        return new CfArtifact(handle.Manifest.Version, neighbours, history, userNeighbours, options, handle.Directory);
    }
}

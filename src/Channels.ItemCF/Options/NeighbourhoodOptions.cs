using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Options shared by the neighbourhood channels (<c>itemcf</c>, <c>swing</c>, <c>usercf</c>): how an interaction turns
/// into an interest score <c>like(user, item)</c>, how much history the offline build and the online recall read, and
/// how many neighbours are kept. Each channel binds its own subclass from <c>RecFramework:Channels:{name}:Options</c>
/// (the same section as the channel's pipeline options, one level down), validated at start-up; a build can
/// override any field through <see cref="ChannelBuildContext.Parameters"/> using the property names as keys.
/// </summary>
/// <remarks>
/// An abstract base rather than copies of the same twelve fields in three classes: the fields mean exactly the same
/// for the three channels and are read by shared code (the like model and the user–item matrix).
/// </remarks>
public abstract class NeighbourhoodOptions
{
    /// <summary>Like weight of a click.</summary>
    [Range(0.0, 1000.0)]
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Like weight of a like.</summary>
    [Range(0.0, 1000.0)]
    public double LikeWeight { get; set; } = 2.0;

    /// <summary>Like weight of a collect (bookmark).</summary>
    [Range(0.0, 1000.0)]
    public double CollectWeight { get; set; } = 3.0;

    /// <summary>Like weight of a share.</summary>
    [Range(0.0, 1000.0)]
    public double ShareWeight { get; set; } = 4.0;

    /// <summary>Like weight of a comment.</summary>
    [Range(0.0, 1000.0)]
    public double CommentWeight { get; set; } = 3.0;

    /// <summary>
    /// Multiply the type weight by <see cref="Interaction.Weight"/> (the rating for MovieLens, whose ratings arrive as
    /// clicks with the rating as weight). Off: every event of a type counts the same.
    /// </summary>
    public bool UseEventWeight { get; set; } = true;

    /// <summary>
    /// Time-decay half-life in days: an event <c>d</c> days older than the newest event of the snapshot (offline) or
    /// than the request time (online) counts <c>0.5^(d / half-life)</c>. 0 turns decay off.
    /// </summary>
    [Range(0.0, 100_000.0)]
    public double TimeDecayHalfLifeDays { get; set; }

    /// <summary>Items of a user's recent history used for recall (the user → last-N index and request history). Default 50 (Swing: 30).</summary>
    [Range(1, 10_000)]
    public int LastN { get; set; } = 50;

    /// <summary>
    /// Recency weighting of the last-N items in item-based recall (ItemCF, Swing), in items: the k-th newest distinct
    /// item (k from 0) contributes <c>0.5^(k / half-life)</c> of its like, so a long last-N still leans on the newest
    /// items when the history's order means something and uses all of them when it does not. 0 (default; ItemCF: 7, Swing: 5)
    /// weighs them alike. UserCF does not read it.
    /// </summary>
    [Range(0.0, 10_000.0)]
    public double RecencyHalfLife { get; set; }

    /// <summary>Neighbours kept per item (ItemCF, Swing) or per user (UserCF): the top-K of the index.</summary>
    [Range(1, 10_000)]
    public int Neighbours { get; set; } = 100;

    /// <summary>
    /// Most recent distinct items per user read by the build. Similarity cost grows with the sum over users of the
    /// squared history length, so this bounds build time on heavy users. Default 200 (ItemCF: 100, Swing: 50).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxHistoryPerUser { get; set; } = 200;

    /// <summary>Divide every neighbour list by its largest similarity so each list's best neighbour scores 1 (default off; Swing: on).</summary>
    public bool NormalizeRows { get; set; }

    /// <summary>Skip items of the user's own history online (they would be filtered downstream anyway).</summary>
    public bool ExcludeHistoryItems { get; set; } = true;

    /// <summary>Worker threads of the build; 0 uses every core.</summary>
    [Range(0, 1024)]
    public int BuildThreads { get; set; }

    /// <summary>
    /// Where online recall reads neighbour lists: <see cref="NeighbourSource.Artifact"/> (default, the in-process
    /// index) or <see cref="NeighbourSource.Store"/> (the shared neighbour-list store: activation publishes the
    /// artifact's lists there unless that version is already published, then recall reads them with one batched
    /// round trip per request; the in-process copy of the lists is dropped). Results are identical. A serving
    /// setting: read from configuration, never recorded in artifacts.
    /// </summary>
    [JsonIgnore]
    public NeighbourSource NeighbourSource { get; set; } = NeighbourSource.Artifact;

    /// <summary>
    /// With <see cref="NeighbourSource.Store"/>: how long, in seconds, activation waits for another replica to finish
    /// publishing a version (and how long a publication claim lasts before another replica may take over).
    /// </summary>
    [JsonIgnore]
    [Range(1, 86_400)]
    public int NeighbourPublishTimeoutSeconds { get; set; } = 300;

    /// <summary>A shallow copy (the options hold only scalars).</summary>
    internal NeighbourhoodOptions Copy() => (NeighbourhoodOptions)MemberwiseClone();
}

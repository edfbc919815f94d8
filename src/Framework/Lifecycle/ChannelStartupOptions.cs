namespace RecFramework.Lifecycle;

/// <summary>What the service does at start-up (section <c>RecFramework:Startup</c>), run by <see cref="ChannelStartupService"/>.</summary>
public sealed class ChannelStartupOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Startup";

    /// <summary>Bring channels up at start-up (open or build their versions). Off: channels wait for an activation.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Dataset to seed the online stores from and to build missing versions from (an ML-100K folder or an
    /// interaction file; relative paths resolve against the working directory). Ignored when a data source is given
    /// in code (<c>UseStartupData</c>).
    /// </summary>
    public string? DataPath { get; set; }

    /// <summary>
    /// Bring channels up in the background: the server listens at once (<c>/health</c> answers, <c>/ready</c> answers
    /// 503 naming the stage and the channel being built, recommendations come from the channels already up and the
    /// fallback). Off (the default): the server starts listening only after start-up has finished.
    /// </summary>
    public bool Background { get; set; }

    /// <summary>Build channels that have no published version from the start-up data.</summary>
    public bool BuildMissing { get; set; } = true;

    /// <summary>
    /// Skip channels no request can reach (<see cref="IChannelReachability"/>: not in the default plan, not the fallback,
    /// named by no experiment layer or variant): they are neither built nor loaded, and <c>/ready</c> does not wait for
    /// them. A configuration reload that names one later needs an activation (or a restart) before it serves.
    /// </summary>
    public bool SkipUnreachable { get; set; } = true;

    /// <summary>Seed the history, popularity and profile stores from the start-up data.</summary>
    public bool SeedStores { get; set; } = true;

    /// <summary>
    /// What to do when the latest published version of a channel was built from other data than the start-up data
    /// (its manifest's fingerprint differs): <see cref="DataMismatchPolicy.Serve"/> it and log the mismatch (the
    /// default), <see cref="DataMismatchPolicy.Rebuild"/> a version from the start-up data, or
    /// <see cref="DataMismatchPolicy.Refuse"/> to serve it (the channel stays unready).
    /// </summary>
    public DataMismatchPolicy OnDataMismatch { get; set; } = DataMismatchPolicy.Serve;

    /// <summary>
    /// When start-up has brought every channel up, and before the service reports ready, compact the whole managed
    /// heap once (a blocking collection of every generation, large objects included) if it holds at least this many
    /// megabytes; 0 compacts whatever its size, a negative value never. Loading and building leave garbage in the
    /// oldest generation (0.8 GB of a 1.9 GB heap with a million items); a gen-2 collection while serving then has
    /// twice the heap to go through, and when the runtime carries it out blocking, every request waits for it:
    /// 1.1–1.7 s in the full-size load benchmark before, 0.23 s after (docs/operations.md, runtime settings). The
    /// compaction took 1.1 s there, before the first request. Default 512 (a smaller heap has little to gain).
    /// </summary>
    public int CompactHeapAboveMb { get; set; } = 512;
}

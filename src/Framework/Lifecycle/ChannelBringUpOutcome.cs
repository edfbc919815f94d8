namespace RecFramework.Lifecycle;

/// <summary>Outcome of bringing one channel up.</summary>
public enum ChannelBringUpOutcome
{
    /// <summary>The channel serves no artifacts (nothing to do).</summary>
    NotArtifactBacked = 0,

    /// <summary>A new version was built from the data and activated.</summary>
    Built = 1,

    /// <summary>A published version was opened and activated.</summary>
    Opened = 2,

    /// <summary>Nothing is published, and no build was allowed or possible.</summary>
    Skipped = 3,

    /// <summary>Building, opening or activating failed; the channel stays as it was.</summary>
    Failed = 4,

    /// <summary>No request can reach the channel under the configuration, so start-up neither built nor loaded it.</summary>
    Unreachable = 5,
}

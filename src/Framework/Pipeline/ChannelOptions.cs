using System.ComponentModel.DataAnnotations;

namespace RecFramework.Pipeline;

/// <summary>Per-channel options, named by channel (section <c>RecFramework:Channels:{name}</c>, over <c>RecFramework:ChannelDefaults</c>).</summary>
public sealed class ChannelOptions
{
    /// <summary>Parent of the per-channel sections: channel <c>{name}</c> reads <c>RecFramework:Channels:{name}</c>.</summary>
    public const string Section = "RecFramework:Channels";

    /// <summary>Section whose values every channel inherits before its own section is applied.</summary>
    public const string DefaultsSection = "RecFramework:ChannelDefaults";

    /// <summary>Section of channel <paramref name="name"/>'s pipeline options (this class): <c>RecFramework:Channels:{name}</c>.</summary>
    public static string SectionOf(string name) => $"{Section}:{name}";

    /// <summary>
    /// Section of channel <paramref name="name"/>'s own options (its family's options class, such as
    /// <c>ItemCFOptions</c> or <c>TwoTowerOptions</c>): <c>RecFramework:Channels:{name}:Options</c>.
    /// </summary>
    public static string OptionsSectionOf(string name) => $"{Section}:{name}:Options";

    /// <summary>Whether the channel takes part in the default plan.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Candidates asked from the channel per request.</summary>
    [Range(1, 10_000)]
    public int Quota { get; set; } = 200;

    /// <summary>Fusion weight.</summary>
    [Range(0.0, 1000.0)]
    public double Weight { get; set; } = 1.0;

    /// <summary>Per-request timeout in milliseconds.</summary>
    [Range(1, 60_000)]
    public int TimeoutMs { get; set; } = 200;

    /// <summary>
    /// Versions of an artifact-backed channel kept loaded beside the serving one for requests that pin another version
    /// (<c>{channel}.version</c>); each costs the memory of one loaded artifact. When a further version is asked for, the
    /// least recently used pinned version is retired (freed once the last request using it returns). 0 turns pinning
    /// off: a request pinning a version other than the serving one gets nothing from the channel, with the reason.
    /// </summary>
    [Range(0, 16)]
    public int MaxPinnedVersions { get; set; } = 2;

    /// <summary>
    /// Seconds a pinned version that failed to load (not published, corrupt) is answered with its failure before the
    /// next request tries to load it again (so a version published later is picked up).
    /// </summary>
    [Range(1, 86_400)]
    public int PinnedVersionRetrySeconds { get; set; } = 30;

    /// <summary>Seconds without a request after which a pinned version is retired and its memory freed.</summary>
    [Range(1, 604_800)]
    public int PinnedVersionIdleSeconds { get; set; } = 900;

    /// <summary>Free-form parameters passed to the channel on every request (variant parameters override them).</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];
}

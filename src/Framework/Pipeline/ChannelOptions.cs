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

    /// <summary>Free-form parameters passed to the channel on every request (variant parameters override them).</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];
}

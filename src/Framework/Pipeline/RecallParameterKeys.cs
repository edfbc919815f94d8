namespace RecFramework.Pipeline;

/// <summary>
/// Parameter keys the pipeline reads from variant parameters (experiment assignments). Channel-scoped keys are
/// <c>{channel}.{key}</c>; any other <c>{channel}.x</c> key reaches that channel as parameter <c>x</c>.
/// </summary>
public static class RecallParameterKeys
{
    /// <summary>Comma-separated channel names replacing the enabled set ("itemcf,two-tower").</summary>
    public const string Channels = "channels";

    /// <summary>Fusion mode name (ReciprocalRank, WeightedScore, RoundRobin).</summary>
    public const string Fusion = "fusion";

    /// <summary>Default k for the variant.</summary>
    public const string K = "k";

    /// <summary>Suffix: candidates asked from a channel ("itemcf.quota").</summary>
    public const string Quota = "quota";

    /// <summary>Suffix: fusion weight of a channel ("itemcf.weight").</summary>
    public const string Weight = "weight";

    /// <summary>Suffix: timeout of a channel in ms ("itemcf.timeout_ms").</summary>
    public const string TimeoutMs = "timeout_ms";

    /// <summary>Suffix: artifact version a channel should serve ("two-tower.version").</summary>
    public const string Version = "version";
}

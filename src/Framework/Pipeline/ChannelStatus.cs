namespace RecFramework.Pipeline;

/// <summary>How a channel's part of a request ended.</summary>
public enum ChannelStatus
{
    /// <summary>Returned candidates in time.</summary>
    Ok,
    /// <summary>Threw; skipped.</summary>
    Failed,
    /// <summary>Ran past its timeout; skipped.</summary>
    TimedOut,
    /// <summary>Named by the plan but not registered.</summary>
    Unknown,
}

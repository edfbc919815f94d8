namespace RecFramework.Lifecycle;

/// <summary>What start-up does with a published version built from other data (<see cref="ChannelStartupOptions.OnDataMismatch"/>).</summary>
public enum DataMismatchPolicy
{
    /// <summary>Serve it and log a warning naming both data sets.</summary>
    Serve = 0,

    /// <summary>Build a new version from the start-up data and serve that.</summary>
    Rebuild = 1,

    /// <summary>Do not serve it: the channel stays unready until a version is activated.</summary>
    Refuse = 2,
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecFramework.Pipeline;

namespace RecFramework.Artifacts;

/// <summary>
/// Where the pinned versions of an <see cref="ArtifactVersions{T}"/> come from: the artifact store they are opened in
/// (manifest and checksums verified, as for any activation) and each channel's bounds
/// (<see cref="ChannelOptions.MaxPinnedVersions"/>, <see cref="ChannelOptions.PinnedVersionRetrySeconds"/>,
/// <see cref="ChannelOptions.PinnedVersionIdleSeconds"/>, read on every decision so a configuration reload applies).
/// Registered as a singleton by <c>AddRecFramework</c>; artifact-backed channels take it as an optional constructor
/// argument.
/// </summary>
public sealed class PinnedVersionSource
{
    private readonly IOptionsMonitor<ChannelOptions> _options;

    /// <summary>Creates the source over <paramref name="store"/> and the named channel options.</summary>
    /// <param name="store">The artifact store pinned versions are opened from.</param>
    /// <param name="options">Per-channel options (named by channel).</param>
    /// <param name="time">Clock of the retry and idle periods; none: the system clock.</param>
    /// <param name="loggers">Logger factory; none: nothing is logged.</param>
    public PinnedVersionSource(IArtifactStore store, IOptionsMonitor<ChannelOptions> options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        Store = store;
        _options = options;
        Time = time ?? TimeProvider.System;
        Logger = (ILogger?)loggers?.CreateLogger<PinnedVersionSource>() ?? NullLogger.Instance;
    }

    /// <summary>The artifact store pinned versions are opened from.</summary>
    public IArtifactStore Store { get; }

    /// <summary>Clock of the retry and idle periods.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where loads, failures and retirements of pinned versions are logged.</summary>
    internal ILogger Logger { get; }

    /// <summary>The current options of <paramref name="channel"/>.</summary>
    public ChannelOptions OptionsOf(string channel) => _options.Get(channel);
}

namespace RecFramework.Lifecycle;

/// <summary>
/// Which channels some request can reach under the current configuration: start-up builds and opens only those
/// (<see cref="ChannelStartupOptions.SkipUnreachable"/>). The framework's own answer is the default plan (enabled
/// channels) plus the fallback; <c>AddRecExperiments</c> replaces it with one that reads the experiment layers.
/// </summary>
public interface IChannelReachability
{
    /// <summary>Whether a request can reach <paramref name="channel"/>; <paramref name="reason"/> says why or why not.</summary>
    bool IsReachable(string channel, out string reason);

    /// <summary>
    /// Versions of <paramref name="channel"/> that the configuration pins for some requests (a layer default or a
    /// variant's <c>{channel}.version</c>), sorted; retention never deletes them. The framework's own answer: none.
    /// </summary>
    IReadOnlyList<string> PinnedVersions(string channel) => [];
}

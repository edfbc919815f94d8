namespace RecFramework;

/// <summary>Error codes of <see cref="RecFrameworkException"/>; one per concern.</summary>
public enum RecError
{
    /// <summary>Configuration is invalid.</summary>
    InvalidConfiguration = 1,
    /// <summary>An input file or row is malformed.</summary>
    MalformedInput = 2,
    /// <summary>A requested channel is not registered.</summary>
    UnknownChannel = 3,
    /// <summary>An artifact is missing, incomplete or corrupt.</summary>
    ArtifactCorrupt = 4,
    /// <summary>An artifact or version was not found.</summary>
    ArtifactNotFound = 5,
    /// <summary>A channel has no model loaded.</summary>
    ChannelNotReady = 6,
    /// <summary>An argument is outside its valid range.</summary>
    InvalidArgument = 7,
}

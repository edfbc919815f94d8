namespace RecFramework.Artifacts;

/// <summary>
/// Loads one file of an artifact and turns whatever a reader throws on bad bytes (end of stream, bad JSON, a native
/// error, an overflow…) into <see cref="RecError.ArtifactCorrupt"/> naming the file, so a corrupt version is refused
/// with its reason instead of escaping as an unhandled exception.
/// </summary>
public static class ArtifactFileLoad
{
    /// <summary>Runs <paramref name="load"/> on <paramref name="path"/>; failures other than cancellation become <see cref="RecError.ArtifactCorrupt"/>.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.ArtifactCorrupt"/> naming the file.</exception>
    public static T Read<T>(string path, Func<string, T> load)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            return load(path);
        }
        catch (Exception ex) when (ex is not RecFrameworkException and not OperationCanceledException)
        {
            // Includes OutOfMemoryException: random bytes read as a length ask for an impossible array.
            throw Corrupt(path, ex);
        }
    }

    /// <summary>The <see cref="RecError.ArtifactCorrupt"/> error for <paramref name="path"/> failing with <paramref name="cause"/>.</summary>
    public static RecFrameworkException Corrupt(string path, Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        return new RecFrameworkException(RecError.ArtifactCorrupt,
            $"Artifact file '{Path.GetFileName(path)}' does not load ({cause.GetType().Name}: {cause.Message})", cause);
    }
}

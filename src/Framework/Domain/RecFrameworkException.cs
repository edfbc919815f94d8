namespace RecFramework;

/// <summary>The framework's exception: an error code and a message that names the offending value.</summary>
public sealed class RecFrameworkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecFrameworkException(RecError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>What kind of failure this is.</summary>
    public RecError Error { get; }
}

namespace RecFramework.Vectors.Faiss;

/// <summary>A failure of the Faiss vector index: bad input detected by the wrapper or an error reported by Faiss.</summary>
public sealed class FaissException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">What kind of failure this is.</param>
    /// <param name="message">A message naming the offending value.</param>
    public FaissException(FaissErrorCode code, string message)
        : base(message) => Code = code;

    /// <summary>Creates the exception with an inner exception.</summary>
    public FaissException(FaissErrorCode code, string message, Exception innerException)
        : base(message, innerException) => Code = code;

    /// <summary>What kind of failure this is.</summary>
    public FaissErrorCode Code { get; }
}

namespace RecFramework.Vectors.Faiss;

/// <summary>What went wrong in a Faiss call. Negative values mirror the native shim's <c>rf_error</c> codes.</summary>
public enum FaissErrorCode
{
    /// <summary>Native: a bad argument (bad description, null buffer, bad size).</summary>
    InvalidArgument = -1,

    /// <summary>Native: Faiss raised an exception.</summary>
    Faiss = -2,

    /// <summary>Native: reading or writing an index file failed (missing, corrupt, unwritable).</summary>
    Io = -3,

    /// <summary>Native: out of memory.</summary>
    OutOfMemory = -4,

    /// <summary>Native: add or search on an index that needs training and has not been trained.</summary>
    NotTrained = -5,

    /// <summary>Native: an unexpected C++ exception.</summary>
    Unknown = -99,

    /// <summary>A vector or query length does not match the index dimension.</summary>
    DimensionMismatch = 1,

    /// <summary>k is not positive.</summary>
    InvalidK = 2,

    /// <summary>A vector or query contains NaN or infinity.</summary>
    NonFiniteValue = 3,

    /// <summary>Search on an index with no vectors, or a build with no vectors.</summary>
    EmptyIndex = 4,

    /// <summary>The ids and vectors describe different numbers of items, or an id is negative.</summary>
    InvalidIds = 5,

    /// <summary>The native library librf_faiss.so could not be loaded.</summary>
    NativeLibraryMissing = 6,
}

using System.Runtime.InteropServices;

namespace RecFramework.Vectors.Faiss;

/// <summary>Owns one native <c>rf_index*</c>; released with <c>rf_index_free</c>.</summary>
internal sealed class FaissIndexHandle : SafeHandle
{
    /// <summary>Used by the marshaller.</summary>
    public FaissIndexHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == nint.Zero;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.IndexFree(handle);
        return true;
    }
}

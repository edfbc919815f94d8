using System.Runtime.InteropServices;

namespace RecFramework.Vectors.Faiss;

/// <summary>P/Invoke declarations of the shim <c>librf_faiss.so</c> (native/rf_faiss.h). Buffer sizes are checked by callers.</summary>
internal static partial class NativeMethods
{
    internal const string Library = "rf_faiss";

    [LibraryImport(Library, EntryPoint = "rf_last_error")]
    internal static partial nint LastError();

    [LibraryImport(Library, EntryPoint = "rf_version")]
    internal static partial int Version();

    [LibraryImport(Library, EntryPoint = "rf_set_num_threads")]
    internal static partial int SetNumThreads(int n);

    [LibraryImport(Library, EntryPoint = "rf_get_num_threads")]
    internal static partial int GetNumThreads();

    [LibraryImport(Library, EntryPoint = "rf_set_blas_threads")]
    internal static partial int SetBlasThreads(int n);

    [LibraryImport(Library, EntryPoint = "rf_simd_scan_available")]
    internal static partial int SimdScanAvailable();

    [LibraryImport(Library, EntryPoint = "rf_set_simd_scan")]
    internal static partial int SetSimdScan(int enabled);

    [LibraryImport(Library, EntryPoint = "rf_get_simd_scan")]
    internal static partial int GetSimdScan();

    [LibraryImport(Library, EntryPoint = "rf_index_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int IndexCreate(string description, int d, int seed, out FaissIndexHandle index);

    [LibraryImport(Library, EntryPoint = "rf_index_free")]
    internal static partial void IndexFree(nint index);

    [LibraryImport(Library, EntryPoint = "rf_index_dimension")]
    internal static partial int IndexDimension(FaissIndexHandle index, out int d);

    [LibraryImport(Library, EntryPoint = "rf_index_ntotal")]
    internal static partial int IndexNTotal(FaissIndexHandle index, out long ntotal);

    [LibraryImport(Library, EntryPoint = "rf_index_is_trained")]
    internal static partial int IndexIsTrained(FaissIndexHandle index, out int trained);

    [LibraryImport(Library, EntryPoint = "rf_index_description")]
    internal static unsafe partial int IndexDescription(FaissIndexHandle index, byte* buffer, nuint capacity, out nuint needed);

    [LibraryImport(Library, EntryPoint = "rf_index_train")]
    internal static unsafe partial int IndexTrain(FaissIndexHandle index, long n, float* x);

    [LibraryImport(Library, EntryPoint = "rf_index_add_with_ids")]
    internal static unsafe partial int IndexAddWithIds(FaissIndexHandle index, long n, float* x, long* ids);

    [LibraryImport(Library, EntryPoint = "rf_index_search")]
    internal static unsafe partial int IndexSearch(FaissIndexHandle index, long n, float* x, long k, int nprobe, int efSearch, float* distances, long* labels);

    [LibraryImport(Library, EntryPoint = "rf_index_search_loop")]
    internal static unsafe partial int IndexSearchLoop(FaissIndexHandle index, long n, float* x, long k, int nprobe, int efSearch, float* distances, long* labels, int clock, out double elapsedSeconds);

    [LibraryImport(Library, EntryPoint = "rf_index_reconstruct_all")]
    internal static unsafe partial int IndexReconstructAll(FaissIndexHandle index, float* x, long* ids, out int lossless);

    [LibraryImport(Library, EntryPoint = "rf_index_write", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int IndexWrite(FaissIndexHandle index, string path);

    [LibraryImport(Library, EntryPoint = "rf_index_read", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int IndexRead(string path, out FaissIndexHandle index);

    /// <summary>Throws <see cref="FaissException"/> with the shim's last error (read on this thread) when <paramref name="rc"/> is not 0.</summary>
    internal static void ThrowIfFailed(int rc)
    {
        if (rc != 0)
        {
            var message = Marshal.PtrToStringUTF8(LastError());
            var code = Enum.IsDefined(typeof(FaissErrorCode), rc) ? (FaissErrorCode)rc : FaissErrorCode.Unknown;
            throw new FaissException(code, string.IsNullOrEmpty(message) ? $"Faiss shim call failed with code {rc}." : message);
        }
    }
}

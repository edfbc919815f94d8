namespace RecFramework.Vectors.Faiss;

/// <summary>
/// Process-wide native settings of the Faiss shim. OpenMP parallelises one batch search (and k-means, HNSW builds)
/// over <see cref="OpenMpThreads"/> threads; OpenBLAS parallelises the matrix products of batched exact search
/// and k-means over <see cref="BlasThreads"/> threads. Both default to <see cref="Environment.ProcessorCount"/>;
/// in a process that also trains with TorchSharp set them lower (each library otherwise starts a thread per core).
/// </summary>
public static class FaissRuntime
{
    private static readonly object Gate = new();
    private static bool _configured;

    /// <summary>The OpenMP thread count in effect (0 before the first configuration).</summary>
    public static int OpenMpThreads { get; private set; }

    /// <summary>The OpenBLAS thread count in effect (0 before the first configuration).</summary>
    public static int BlasThreads { get; private set; }

    /// <summary>
    /// Whether inner-product scans (IVF-Flat lists, single-query Flat search) run on the shim's AVX2 + FMA kernel
    /// (true by default where the CPU has both) instead of Faiss's scalar reference loop: Debian builds Faiss for
    /// baseline x86-64, where that loop is several times slower. Process-wide; setting false restores Faiss's own
    /// path (scores may differ from it in the last bits: the kernel sums in another order).
    /// </summary>
    public static bool VectorisedScan
    {
        get => Flag(NativeMethods.GetSimdScan);
        set => Call(() => NativeMethods.SetSimdScan(value ? 1 : 0));
    }

    /// <summary>True when this CPU has AVX2 and FMA, so <see cref="VectorisedScan"/> can be on.</summary>
    public static bool VectorisedScanAvailable => Flag(NativeMethods.SimdScanAvailable);

    /// <summary>Sets both thread counts now (any time; applies to every later call on any thread).</summary>
    /// <param name="openMpThreads">OpenMP threads, &gt;= 1.</param>
    /// <param name="blasThreads">OpenBLAS threads, &gt;= 1.</param>
    public static void SetThreads(int openMpThreads, int blasThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(openMpThreads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blasThreads);
        lock (Gate)
        {
            Call(() => NativeMethods.SetNumThreads(openMpThreads));
            Call(() => NativeMethods.SetBlasThreads(blasThreads));
            OpenMpThreads = openMpThreads;
            BlasThreads = blasThreads;
            _configured = true;
        }
    }

    /// <summary>Applies the thread counts once (the first call wins); 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    internal static void EnsureConfigured(int openMpThreads = 0, int blasThreads = 0)
    {
        if (Volatile.Read(ref _configured))
        {
            return;
        }

        lock (Gate)
        {
            if (!_configured)
            {
                SetThreads(openMpThreads > 0 ? openMpThreads : Environment.ProcessorCount, blasThreads > 0 ? blasThreads : Environment.ProcessorCount);
            }
        }
    }

    /// <summary>A native 0/1 query as a bool (a missing shim library becomes a <see cref="FaissException"/>).</summary>
    private static bool Flag(Func<int> query)
    {
        var value = 0;
        Call(() =>
        {
            value = query();
            return 0;
        });
        return value == 1;
    }

    /// <summary>Runs a native call, turning a missing shim library into a <see cref="FaissException"/>.</summary>
    internal static void Call(Func<int> call)
    {
        int rc;
        try
        {
            rc = call();
        }
        catch (DllNotFoundException e)
        {
            throw new FaissException(FaissErrorCode.NativeLibraryMissing,
                $"The native Faiss shim '{NativeMethods.Library}' (librf_faiss.so) could not be loaded from '{AppContext.BaseDirectory}' " +
                $"or its runtimes/linux-x64/native folder: {e.Message}. It ships in the RecFramework.Channels.TwoTower package (linux-x64) and needs " +
                "OpenBLAS and OpenMP at run time (Debian: libopenblas0 libgomp1); in the repository it is built by the Channels.TwoTower project " +
                "(Debian packages libfaiss-dev libopenblas-dev liblapack-dev cmake g++).", e);
        }

        NativeMethods.ThrowIfFailed(rc);
    }
}

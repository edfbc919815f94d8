using System.Runtime.InteropServices;

namespace RecFramework.Diagnostics;

/// <summary>
/// Lowers the scheduling priority of the calling thread for background work that shares the cores with requests
/// (loading a model beside the serving one, exact-search recall audits). .NET's <see cref="Thread.Priority"/> is not
/// applied on Linux, so this sets the thread's nice value directly (<c>setpriority(PRIO_PROCESS, tid, nice)</c>, which
/// Linux applies per thread); raising one's own nice value needs no privilege. The scheduler then gives request
/// threads most of a contended core while background work still progresses on an idle one.
/// </summary>
public static partial class BackgroundThreadPriority
{
    /// <summary>The nice value background threads run at (0 is normal, 19 the lowest priority).</summary>
    public const int BackgroundNice = 10;

    private const int PrioProcess = 0;

    /// <summary>
    /// Sets the calling thread's nice value to <paramref name="nice"/> (only ever lowers the priority: a value below
    /// the current one is ignored). Returns false where it is not supported (not Linux) or refused.
    /// </summary>
    /// <param name="nice">The target nice value, 0 to 19; defaults to <see cref="BackgroundNice"/>.</param>
    /// <returns>True when the thread now runs at <paramref name="nice"/> or lower priority; otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nice"/> is below 0 or above 19.</exception>
    public static bool LowerCurrentThread(int nice = BackgroundNice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nice, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var tid = GetTid();
            return Current(tid) >= nice || SetPriority(PrioProcess, tid, nice) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's nice value, or null where it cannot be read.</summary>
    public static int? CurrentNice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Current(GetTid());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a new dedicated thread at background priority and completes with its result;
    /// for seconds of CPU work that must neither hold a thread-pool thread nor take a core from requests.
    /// </summary>
    /// <typeparam name="T">The result type of <paramref name="work"/>.</typeparam>
    /// <param name="name">The name given to the dedicated thread (shown in debuggers and dumps).</param>
    /// <param name="work">The work to run; its exception, if any, faults the returned task.</param>
    /// <returns>A task that completes with the result of <paramref name="work"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    public static Task<T> RunAsync<T>(string name, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerCurrentThread();
            try
            {
                completion.SetResult(work());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return completion.Task;
    }

    // getpriority returns the nice value for PRIO_PROCESS with a thread id on Linux (-1 is also a valid value, so an
    // error cannot be told apart without errno; callers only compare against a non-negative target).
    private static int Current(int tid) => GetPriority(PrioProcess, tid);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int prio);
}

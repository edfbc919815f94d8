namespace RecFramework.Diagnostics;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread, in order. <see cref="Progress{T}"/> posts each
/// report to the captured synchronisation context, which in a console program is the thread pool: reports can arrive
/// out of order and after the work has finished.
/// </summary>
/// <typeparam name="T">Report type.</typeparam>
/// <param name="report">Called with each report, synchronously.</param>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}

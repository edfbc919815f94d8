namespace RecFramework.Bench;

/// <summary>A named benchmark of the bench console: prints a table and returns its figures (name → number).</summary>
internal interface IBenchmark
{
    /// <summary>Name used on the command line ("eval", "faiss", "cf", …).</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs; <see cref="BenchContext.Quick"/> selects the short mode CI runs.</summary>
    Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

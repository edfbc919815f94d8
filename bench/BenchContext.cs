namespace RecFramework.Bench;

/// <summary>Arguments common to every benchmark.</summary>
/// <param name="Quick">Short mode (CI).</param>
/// <param name="Arguments">Remaining arguments ("--data PATH", …) for the benchmark to read.</param>
internal sealed record BenchContext(bool Quick, IReadOnlyList<string> Arguments)
{
    /// <summary>Value of "--name VALUE" in <see cref="Arguments"/>, or null.</summary>
    public string? Option(string name)
    {
        for (var i = 0; i < Arguments.Count - 1; i++)
        {
            if (Arguments[i] == name)
            {
                return Arguments[i + 1];
            }
        }

        return null;
    }
}

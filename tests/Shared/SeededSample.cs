using CsCheck;

namespace RecFramework.Testing;

/// <summary>
/// Property tests with the same cases on every run: case i is generated from CsCheck's PCG with seed i, so CI runs the
/// cases a developer ran (CsCheck's own <c>Sample</c> picks a new random seed per run, and a case it finds later fails
/// some unrelated submission). A failure names the case number and its value. To explore beyond these cases, raise
/// <c>iter</c> or change <see cref="Stream"/> locally.
/// </summary>
internal static class SeededSample
{
    /// <summary>The PCG stream the cases come from.</summary>
    public const uint Stream = 20261206;

    /// <summary>Runs <paramref name="assert"/> on cases 0 … <paramref name="iter"/> − 1 of <paramref name="gen"/>, in order.</summary>
    public static void SampleSeeded<T>(this Gen<T> gen, Action<T> assert, int iter)
    {
        for (var i = 0; i < iter; i++)
        {
            var value = Case(gen, i);
            Run(i, value, () => assert(value));
        }
    }

    /// <summary>As <see cref="SampleSeeded{T}(Gen{T}, Action{T}, int)"/> for an asynchronous assertion.</summary>
    public static async Task SampleSeededAsync<T>(this Gen<T> gen, Func<T, Task> assert, int iter)
    {
        for (var i = 0; i < iter; i++)
        {
            var value = Case(gen, i);
            try
            {
                await assert(value);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Property case {i} of stream {Stream} failed for {Describe(value)}: {ex.Message}", ex);
            }
        }
    }

    private static T Case<T>(Gen<T> gen, int i) => gen.Generate(new PCG(Stream, (ulong)i), null, out _);

    private static void Run<T>(int i, T value, Action assert)
    {
        try
        {
            assert();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Property case {i} of stream {Stream} failed for {Describe(value)}: {ex.Message}", ex);
        }
    }

    private static string Describe<T>(T value)
    {
        var text = value?.ToString() ?? "null";
        var printable = new string(text.Take(200).Select(c => char.IsControl(c) ? '·' : c).ToArray());
        return text.Length > 200 ? printable + "…" : printable;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Analysis.Comparison;

/// <summary>Writes and reads a <see cref="ComparisonReport"/> as snake_case JSON (every figure, per layer and group; <c>srm_p_value</c> per layer).</summary>
public static class ComparisonJson
{
    /// <summary>Serializer options of the report file.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The report as JSON text.</summary>
    public static string Serialize(ComparisonReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Writes the report to <paramref name="path"/>, creating the folder.</summary>
    public static async Task WriteAsync(ComparisonReport report, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, Serialize(report), cancellationToken).ConfigureAwait(false);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecFramework.Experiments.Operations;

/// <summary>JSON of the stored configuration: the appsettings shape (PascalCase, statuses by name), so it can be copied back.</summary>
internal static class ExperimentsJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>As <see cref="Options"/>, not indented (one audit entry per line or list element).</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    /// <summary>A deep copy (operations change the copy, never the served instance).</summary>
    public static ExperimentsOptions Clone(ExperimentsOptions options) =>
        JsonSerializer.Deserialize<ExperimentsOptions>(JsonSerializer.SerializeToUtf8Bytes(options, Options), Options)!;

    public static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value, Options);
}

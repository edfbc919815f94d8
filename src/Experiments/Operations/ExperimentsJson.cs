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

    /// <summary>Web (camelCase) JSON, indented: the shape the HTTP API answers in, for files a caller asks for.</summary>
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes <paramref name="value"/> as <see cref="Web"/> JSON to <paramref name="path"/>, creating its folder.</summary>
    public static async Task WriteFileAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var stream = File.Create(full);
        await JsonSerializer.SerializeAsync(stream, value, Web, cancellationToken).ConfigureAwait(false);
    }
}

using System.Text.Json;

namespace RecFramework.Stores;

/// <summary>The argument check of <see cref="IVersionedDocumentStore.TryWriteAsync"/>: exactly one JSON value.</summary>
internal static class JsonValue
{
    public static void ThrowIfNotOne(string json, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(json))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json, name);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{name} is not one JSON value: {ex.Message}", name, ex);
        }
    }
}

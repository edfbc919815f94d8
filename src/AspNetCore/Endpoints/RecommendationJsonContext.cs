using System.Text.Json.Serialization;

namespace RecFramework.AspNetCore;

/// <summary>
/// Source-generated serialisation of the <c>/recommend</c> answer (camelCase, as the service's JSON options), so the
/// hottest response is written by the generated fast path instead of reflection. Inserted first in the HTTP JSON
/// options' resolver chain; every other type still goes through the default resolver.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RecommendationDto))]
internal sealed partial class RecommendationJsonContext : JsonSerializerContext;

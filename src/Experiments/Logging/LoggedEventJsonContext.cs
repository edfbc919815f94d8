using System.Text.Json.Serialization;

namespace RecFramework.Experiments.Logging;

/// <summary>
/// Source-generated serialisation of the logged-events lines: the service writes one line per exposure, fifty per
/// request, and the generated fast path writes them without reflection. Same output as the reflection serializer with
/// default options (the property names come from the attributes).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(LoggedEvent))]
internal sealed partial class LoggedEventJsonContext : JsonSerializerContext;

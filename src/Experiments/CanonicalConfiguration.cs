using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;

namespace RecFramework.Experiments;

/// <summary>
/// Canonical JSON of an effective <see cref="ExperimentsOptions"/> (fixed property order, parameters sorted by
/// ordinal key, ranges normalised) and its version stamp: XxHash3-64 (seed 0) of the UTF-8 JSON as 16 hex digits.
/// </summary>
internal static class CanonicalConfiguration
{
    public static (string Json, string Version) Create(ExperimentsOptions options)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, options);
        }

        var bytes = stream.ToArray();
        var version = XxHash3.HashToUInt64(bytes).ToString("x16", CultureInfo.InvariantCulture);
        return (System.Text.Encoding.UTF8.GetString(bytes), version);
    }

    private static void Write(Utf8JsonWriter writer, ExperimentsOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("bucketCount", options.BucketCount);
        writer.WriteStartObject("holdout");
        writer.WriteNumber("share", options.Holdout.Share);
        writer.WriteString("salt", options.Holdout.Salt);
        writer.WriteEndObject();
        writer.WriteStartArray("layers");
        foreach (var layer in options.Layers)
        {
            writer.WriteStartObject();
            writer.WriteString("name", layer.Name);
            writer.WriteString("salt", layer.Salt);
            WriteParameters(writer, layer.Parameters);
            writer.WriteStartArray("experiments");
            foreach (var experiment in layer.Experiments)
            {
                writer.WriteStartObject();
                writer.WriteString("name", experiment.Name);
                if (experiment.Kind != ExperimentKind.AbTest)
                {
                    // Written only when set, so the versions of configurations from before kinds existed stay the same.
                    writer.WriteString("kind", experiment.Kind.ToString());
                }

                writer.WriteString("status", experiment.Status.ToString());
                WriteRanges(writer, "buckets", experiment.Buckets);
                writer.WriteStartArray("variants");
                foreach (var variant in experiment.Variants)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", variant.Name);
                    writer.WriteNumber("share", variant.Share);
                    WriteParameters(writer, variant.Parameters);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (experiment.LaunchedVariant is not null)
                {
                    writer.WriteString("launchedVariant", experiment.LaunchedVariant);
                }

                WriteRanges(writer, "reverseBuckets", experiment.ReverseBuckets);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteParameters(Utf8JsonWriter writer, Dictionary<string, string> parameters)
    {
        writer.WriteStartObject("parameters");
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteRanges(Utf8JsonWriter writer, string name, List<string> ranges)
    {
        writer.WriteStartArray(name);
        foreach (var text in ranges)
        {
            writer.WriteStringValue(BucketRange.TryParse(text, out var range) ? range.ToString() : text);
        }

        writer.WriteEndArray();
    }
}

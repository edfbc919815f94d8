using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecFramework.Channels;

namespace RecFramework.Data.Synthetic;

/// <summary>Reads and writes the synthetic files (<c>interactions.csv</c>, <c>users.csv</c>, <c>items.csv</c>, <c>synthetic.json</c>).</summary>
internal static class SyntheticFiles
{
    public const string OptionsFile = "synthetic.json";
    private const int FormatVersion = 1;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

    public static void Write(SyntheticData data, string directory, IProgress<BuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        WriteInteractions(data.Dataset.Interactions, Path.Combine(directory, "interactions.csv"), progress, cancellationToken);
        if (data.Dataset.Users.Count > 0)
        {
            WriteProfiles(data.Dataset.Users, "user_id", Path.Combine(directory, "users.csv"));
        }

        if (data.Dataset.Items.Count > 0)
        {
            WriteProfiles(data.Dataset.Items, "item_id", Path.Combine(directory, "items.csv"));
        }

        var root = new JsonObject
        {
            ["format"] = FormatVersion,
            ["generator"] = "RecFramework.Data.Synthetic.SyntheticGenerator",
            ["dataset"] = data.Dataset.Name,
            ["events"] = data.Dataset.Interactions.Length,
            ["options"] = JsonSerializer.SerializeToNode(data.Truth.Options, Json),
        };
        File.WriteAllText(Path.Combine(directory, OptionsFile), root.ToJsonString(Json) + "\n", Utf8);
        progress?.Report(new BuildProgress(1, "written"));
    }

    public static SyntheticOptions ReadOptions(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var path = Path.Combine(directory, OptionsFile);
        if (!File.Exists(path))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"'{path}' does not exist: the directory was not written by the synthetic generator.");
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject();
            var format = root?["format"]?.GetValue<int>();
            if (format != FormatVersion)
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{path}: unsupported format ({format?.ToString(CultureInfo.InvariantCulture) ?? "missing"}), expected {FormatVersion}.");
            }

            var options = root!["options"].Deserialize<SyntheticOptions>(Json)
                ?? throw new RecFrameworkException(RecError.MalformedInput, $"{path}: 'options' is missing.");
            options.Validate();
            return options;
        }
        catch (JsonException ex)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{path}: {ex.Message}", ex);
        }
    }

    private static void WriteInteractions(Interaction[] events, string path, IProgress<BuildProgress>? progress, CancellationToken cancellationToken)
    {
        using var writer = new StreamWriter(path, false, Utf8, 1 << 20);
        writer.Write("user_id,item_id,timestamp,event,weight\n");
        Span<char> buffer = stackalloc char[128];
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            var n = 0;
            n += Format(e.UserId, buffer[n..]);
            buffer[n++] = ',';
            n += Format(e.ItemId, buffer[n..]);
            buffer[n++] = ',';
            n += Format(e.Timestamp, buffer[n..]);
            buffer[n++] = ',';
            var name = InteractionTypes.Names[(int)e.Type];
            name.AsSpan().CopyTo(buffer[n..]);
            n += name.Length;
            buffer[n++] = ',';
            if (!e.Weight.TryFormat(buffer[n..], out var written, "R", CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("weight does not fit the format buffer");
            }

            n += written;
            buffer[n++] = '\n';
            writer.Write(buffer[..n]);
            if ((i & 0xFFFFF) == 0xFFFFF)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new BuildProgress((double)i / events.Length, $"{i:N0} / {events.Length:N0} rows written"));
            }
        }
    }

    private static int Format(long value, Span<char> destination)
    {
        value.TryFormat(destination, out var written, provider: CultureInfo.InvariantCulture);
        return written;
    }

    private static void WriteProfiles(ProfileTable table, string idColumn, string path)
    {
        using var writer = new StreamWriter(path, false, Utf8, 1 << 20);
        var header = new StringBuilder(idColumn);
        foreach (var field in table.Schema.Fields)
        {
            header.Append(',').Append(field.Name).Append(':').Append(field.Kind switch
            {
                FeatureKind.Continuous => "continuous",
                FeatureKind.MultiCategorical => "multi",
                _ => "categorical",
            });
        }

        writer.Write(header.Append('\n').ToString());
        var line = new StringBuilder();
        foreach (var profile in table.All.OrderBy(p => p.Id))
        {
            line.Clear().Append(profile.Id.ToString(CultureInfo.InvariantCulture));
            foreach (var values in profile.Values)
            {
                line.Append(',').Append(DelimitedText.Quote(string.Join('|', values), ','));
            }

            writer.Write(line.Append('\n').ToString());
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace RecFramework.Analysis.Tuning;

/// <summary>One configuration scored in one rung of the search.</summary>
/// <param name="Parameters">The build parameters (empty: the configured defaults).</param>
/// <param name="Rung">0 for the cheapest rung.</param>
/// <param name="Users">Validation users scored.</param>
/// <param name="Recall">Recall@K on them.</param>
/// <param name="Ndcg">NDCG@K on them.</param>
public sealed record TuningTrial(IReadOnlyDictionary<string, string> Parameters, int Rung, int Users, double Recall, double Ndcg);

/// <summary>The outcome of tuning one channel: the defaults and the choice, both scored on every validation user.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Chosen">The chosen build parameters (empty when the configured defaults won).</param>
/// <param name="DefaultRecall">Validation Recall@K of the configured defaults.</param>
/// <param name="DefaultNdcg">Validation NDCG@K of the configured defaults.</param>
/// <param name="TunedRecall">Validation Recall@K of the choice.</param>
/// <param name="TunedNdcg">Validation NDCG@K of the choice.</param>
/// <param name="Trials">Every trial in order.</param>
public sealed record ChannelTuning(string Channel, IReadOnlyDictionary<string, string> Chosen, double DefaultRecall, double DefaultNdcg, double TunedRecall, double TunedNdcg, IReadOnlyList<TuningTrial> Trials)
{
    /// <summary>Default over tuned validation Recall@K (1 when the tuned recall is 0).</summary>
    public double Ratio => TunedRecall > 0 ? DefaultRecall / TunedRecall : 1;

    /// <summary>The artifact version built with the choice on the whole dataset, when <see cref="TuningOptions.ArtifactsDirectory"/> was set.</summary>
    public string? ArtifactVersion { get; init; }

    /// <summary>The choice as <c>NAME=VALUE</c> pairs (ordinal order), or "(defaults)".</summary>
    public string ChosenText => Chosen.Count == 0 ? "(defaults)" : string.Join(" ", Chosen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>The outcome of a <see cref="ChannelTuner"/> run.</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Protocol">The split scored (the inner validation split).</param>
/// <param name="Users">Validation users.</param>
/// <param name="K">Cut-off of the objective.</param>
/// <param name="Channels">One result per channel.</param>
public sealed record TuningResult(string Dataset, string Protocol, int Users, int K, IReadOnlyList<ChannelTuning> Channels)
{
    /// <summary>
    /// The JSON document of the <c>tune</c> command: <c>{"dataset", "protocol", "users", "k", "channels": {name:
    /// {"default": {"recall@K", "ndcg@K"}, "tuned": {…}, "ratio", "chosen": {NAME: VALUE}, "artifact_version", "trials": [{"parameters", "rung", "users", "recall@K", "ndcg@K"}]}}}</c>.
    /// </summary>
    public string ToJson()
    {
        var k = K.ToString(CultureInfo.InvariantCulture);
        var channels = new JsonObject();
        foreach (var c in Channels)
        {
            channels[c.Channel] = new JsonObject
            {
                ["default"] = new JsonObject { [$"recall@{k}"] = Math.Round(c.DefaultRecall, 6), [$"ndcg@{k}"] = Math.Round(c.DefaultNdcg, 6) },
                ["tuned"] = new JsonObject { [$"recall@{k}"] = Math.Round(c.TunedRecall, 6), [$"ndcg@{k}"] = Math.Round(c.TunedNdcg, 6) },
                ["ratio"] = Math.Round(c.Ratio, 6),
                ["chosen"] = Parameters(c.Chosen),
                ["artifact_version"] = c.ArtifactVersion,
                ["trials"] = new JsonArray([.. c.Trials.Select(t => (JsonNode)new JsonObject
                {
                    ["parameters"] = Parameters(t.Parameters),
                    ["rung"] = t.Rung,
                    ["users"] = t.Users,
                    [$"recall@{k}"] = Math.Round(t.Recall, 6),
                    [$"ndcg@{k}"] = Math.Round(t.Ndcg, 6),
                })]),
            };
        }

        var root = new JsonObject { ["dataset"] = Dataset, ["protocol"] = Protocol, ["users"] = Users, ["k"] = K, ["channels"] = channels };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (creating its directory) and says so on the console; does nothing when the path is null.</summary>
    public async Task WriteJsonAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, ToJson() + "\n", cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(path)}[/]");
    }

    /// <summary>A Spectre table: channel, default and tuned validation Recall@K and NDCG@K, ratio, chosen options.</summary>
    public Table ToTable()
    {
        var table = new Table();
        table.AddColumn("channel");
        foreach (var heading in new[] { $"default recall@{K}", $"tuned recall@{K}", $"default ndcg@{K}", $"tuned ndcg@{K}", "default/tuned" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        table.AddColumn("chosen options");
        foreach (var c in Channels)
        {
            table.AddRow(Markup.Escape(c.Channel), F(c.DefaultRecall), F(c.TunedRecall), F(c.DefaultNdcg), F(c.TunedNdcg), F(c.Ratio), Markup.Escape(c.ChosenText));
        }

        return table;
    }

    /// <summary>One line naming the dataset, protocol and validation users.</summary>
    public string Heading => $"{Dataset}: {Protocol}, {Users:N0} validation users";

    private static JsonObject Parameters(IReadOnlyDictionary<string, string> parameters)
    {
        var result = new JsonObject();
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[name] = value;
        }

        return result;
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

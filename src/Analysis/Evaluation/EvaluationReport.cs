using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecFramework.Evaluation;
using Spectre.Console;

namespace RecFramework.Analysis.Evaluation;

/// <summary>The outcome of an evaluation run: dataset, protocol, test users and one result per channel.</summary>
public sealed record EvaluationReport(string Dataset, string Protocol, int Users, int TrainItems, IReadOnlyList<ChannelEvaluation> Channels)
{
    /// <summary>
    /// The JSON document of the <c>evaluate</c> command: <c>{"dataset", "protocol", "users", "channels": {name:
    /// {"recall@K", "ndcg@K", "hitrate@K", "coverage@K" for every K, "build_seconds"}}}</c>.
    /// </summary>
    public string ToJson()
    {
        var channels = new JsonObject();
        foreach (var channel in Channels)
        {
            var figures = new JsonObject();
            foreach (var metric in new[] { "recall", "ndcg", "hitrate", "coverage" })
            {
                foreach (var m in channel.Metrics)
                {
                    figures[$"{metric}@{m.K.ToString(CultureInfo.InvariantCulture)}"] = Math.Round(metric switch
                    {
                        "recall" => m.Recall,
                        "ndcg" => m.Ndcg,
                        "hitrate" => m.HitRate,
                        _ => m.Coverage,
                    }, 6);
                }
            }

            figures["build_seconds"] = Math.Round(channel.BuildSeconds, 3);
            channels[channel.Channel] = figures;
        }

        var root = new JsonObject
        {
            ["dataset"] = Dataset,
            ["protocol"] = Protocol,
            ["users"] = Users,
            ["channels"] = channels,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A Spectre table: one row per figure (Recall/NDCG/HitRate/Coverage per K, build seconds, users/s), one column per channel.</summary>
    public Table ToTable()
    {
        var table = new Table();
        table.AddColumn("figure");
        foreach (var channel in Channels)
        {
            table.AddColumn(new TableColumn(Markup.Escape(channel.Channel)).RightAligned());
        }

        var ks = Channels.Count == 0 ? [] : Channels[0].Metrics.Select(m => m.K).ToArray();
        foreach (var (name, pick) in new (string, Func<MetricsAtK, double>)[] { ("recall", m => m.Recall), ("ndcg", m => m.Ndcg), ("hitrate", m => m.HitRate), ("coverage", m => m.Coverage) })
        {
            foreach (var k in ks)
            {
                table.AddRow([$"{name}@{k}", .. Channels.Select(c => F(pick(c.At(k))))]);
            }
        }

        table.AddRow(["build s", .. Channels.Select(c => c.BuildSeconds.ToString("0.00", CultureInfo.InvariantCulture))]);
        table.AddRow(["users/s", .. Channels.Select(c => c.UsersPerSecond.ToString("N0", CultureInfo.InvariantCulture))]);
        return table;
    }

    /// <summary>One line naming the dataset, protocol, test users and train items.</summary>
    public string Heading => $"{Dataset}: {Protocol}, {Users:N0} users scored, {TrainItems:N0} train items";

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

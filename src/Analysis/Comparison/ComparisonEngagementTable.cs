using RecFramework.Experiments.Analysis;
using Spectre.Console;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// The console table of a layer's user-level and event-type figures, one column per group (short labels, like the narrow
/// table) and one row per figure, so it stays within 80 columns for four groups whatever the number of event types:
/// active days and items consumed per user, day-N retention, and per event type other than click its rate per click or,
/// for dwell and complete, its mean value, each followed by the lift vs the control (every rate per exposure and per
/// click is in the JSON report).
/// </summary>
internal static class ComparisonEngagementTable
{
    public static void Write(IAnsiConsole console, ComparisonReport report, LayerReport layer)
    {
        var (labels, experiment) = ComparisonConsole.ShortLabels(layer);
        var title = $"layer {layer.Layer}: users and event types" + (experiment is null ? "" : $", experiment {experiment}");
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded);
        table.AddColumn("");
        foreach (var label in labels)
        {
            table.AddColumn(new TableColumn(Markup.Escape(label)).RightAligned());
        }

        void Row(string figure, Func<VariantReport, MetricEstimate?> value, int decimals, string metric)
        {
            table.AddRow([Markup.Escape(figure), .. layer.Variants.Select(v => Markup.Escape(value(v) is { } m ? ComparisonFormat.PlusMinus(m, decimals) : "-"))]);
            table.AddRow(["  lift", .. layer.Variants.Select(v => Markup.Escape(ComparisonFormat.Lift(v, metric, compact: true)))]);
        }

        Row("active days/user", v => v.ActiveDaysPerUser, 2, "active_days_per_user");
        Row("items/user", v => v.ItemsConsumedPerUser, 2, "items_consumed_per_user");
        foreach (var n in report.RetentionDays.Where(n => layer.Variants.Any(v => v.Retention.ContainsKey($"day_{n}"))))
        {
            Row($"day-{n} return", v => v.Retention.GetValueOrDefault($"day_{n}"), 3, $"retention_day_{n}");
        }

        foreach (var type in layer.Variants.SelectMany(v => v.EventTypes.Keys).Where(t => t != "click").Distinct(StringComparer.Ordinal))
        {
            if (InteractionTypes.TryParse(type, out var kind) && kind.TakesValue())
            {
                Row($"mean {type}", v => v.EventTypes.GetValueOrDefault(type)?.MeanValue, 2, type + "_mean_value");
            }
            else
            {
                Row($"{type}/click", v => v.EventTypes.GetValueOrDefault(type)?.PerClick, 3, type + "_per_click");
            }
        }

        console.Write(table);
    }
}

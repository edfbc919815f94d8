using RecFramework.Experiments.Analysis;
using Spectre.Console;

namespace RecFramework.Analysis.Comparison;

/// <summary>
/// The console table of a layer's user-level and event-type figures: active days and items consumed per user, day-N
/// retention, and per event type other than click its rate per click or, for dwell and complete, its mean value, each
/// with the lift vs the control (every rate per exposure and per click is in the JSON report).
/// </summary>
internal static class ComparisonEngagementTable
{
    public static void Write(IAnsiConsole console, ComparisonReport report, LayerReport layer)
    {
        var types = layer.Variants.SelectMany(v => v.EventTypes.Keys).Where(t => t != "click").Distinct(StringComparer.Ordinal).ToList();
        var retention = report.RetentionDays.Where(n => layer.Variants.Any(v => v.Retention.ContainsKey($"day_{n}"))).ToList();
        var table = new Table().Title(Markup.Escape($"layer {layer.Layer}: users and event types")).Border(TableBorder.Rounded);
        table.AddColumn("group");
        var headers = new List<string> { "active days/user", "  lift", "items/user", "  lift" };
        headers.AddRange(retention.SelectMany(n => new[] { $"day-{n} return", "  lift" }));
        headers.AddRange(types.SelectMany(t => IsValued(t) ? new[] { $"mean {t}", "  lift" } : new[] { $"{t}/click", "  lift" }));
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        }

        foreach (var v in layer.Variants)
        {
            var cells = new List<string>
            {
                v.Variant,
                v.ActiveDaysPerUser is { } a ? ComparisonFormat.PlusMinus(a, 2) : "-", ComparisonFormat.Lift(v, "active_days_per_user", compact: true),
                v.ItemsConsumedPerUser is { } i ? ComparisonFormat.PlusMinus(i, 2) : "-", ComparisonFormat.Lift(v, "items_consumed_per_user", compact: true),
            };
            foreach (var n in retention)
            {
                cells.Add(v.Retention.TryGetValue($"day_{n}", out var r) ? ComparisonFormat.PlusMinus(r, 3) : "-");
                cells.Add(ComparisonFormat.Lift(v, $"retention_day_{n}", compact: true));
            }

            foreach (var type in types)
            {
                var rates = v.EventTypes.GetValueOrDefault(type);
                var valued = IsValued(type);
                cells.Add((valued ? rates?.MeanValue : rates?.PerClick) is { } m ? ComparisonFormat.PlusMinus(m, valued ? 2 : 3) : "-");
                cells.Add(ComparisonFormat.Lift(v, type + (valued ? "_mean_value" : "_per_click"), compact: true));
            }

            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        var width = console.Profile.Width;
        try
        {
            console.Profile.Width = Math.Max(width, 40 + 16 * headers.Count);
            console.Write(table);
        }
        finally
        {
            console.Profile.Width = width;
        }
    }

    private static bool IsValued(string type) => InteractionTypes.TryParse(type, out var t) && t.TakesValue();
}

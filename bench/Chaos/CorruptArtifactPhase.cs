using System.Globalization;
using System.Net;
using System.Text.Json;
using Spectre.Console;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// Publishes damaged versions (<see cref="ArtifactCorruptor"/>) beside a channel's good one and activates each: the
/// answer must be 422 (404 for a folder without a manifest) with a reason, the channel must keep its version and
/// <c>/recommend</c> must keep answering.
/// </summary>
internal static class CorruptArtifactPhase
{
    /// <summary>Attempts, refusals, 5xx answers and what went wrong.</summary>
    internal sealed record Outcome(int Tried, int Refused, int ServerErrors, IReadOnlyList<string> Failures);

    /// <summary>Runs every kind of damage on each of <paramref name="targets"/> (channel, file to damage or null for the largest).</summary>
    public static async Task<Outcome> RunAsync(ChaosService service, IReadOnlyList<(string Channel, string? File)> targets, int firstVersion, CancellationToken cancellationToken)
    {
        var corruptor = new ArtifactCorruptor(service.Artifacts);
        var table = new Table().AddColumn("channel").AddColumn("version").AddColumn("damage").AddColumn(new TableColumn("status").RightAligned()).AddColumn("ok").AddColumn("reason (first 80 characters)");
        int tried = 0, refused = 0, serverErrors = 0;
        var failures = new List<string>();
        var number = firstVersion;
        var manifestKindsDone = new HashSet<(string, string)>();
        foreach (var (channel, file) in targets)
        {
            var serving = await service.ActiveVersionAsync(channel, cancellationToken) ?? throw new InvalidOperationException($"{channel} serves no version");
            foreach (var kind in ArtifactCorruptor.Kinds)
            {
                if (kind is not ("random bytes, checksums recomputed" or "truncated file") && !manifestKindsDone.Add((channel, kind)))
                {
                    continue; // the other kinds do not depend on the file: once per channel
                }

                var version = $"v{number++:D4}";
                var damaged = corruptor.Write(channel, serving, version, kind, file);
                tried++;
                using var response = await service.ActivateAsync(channel, version, cancellationToken);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var reason = Detail(body);
                serverErrors += status >= 500 ? 1 : 0;
                var expected = kind == "empty folder" ? HttpStatusCode.NotFound : HttpStatusCode.UnprocessableEntity;
                var problem = response.StatusCode != expected && response.StatusCode is not (HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound) ? $"answered {status}"
                    : string.IsNullOrWhiteSpace(reason) ? "no reason"
                    : await service.ActiveVersionAsync(channel, cancellationToken) is var now && now != serving ? $"now serves {now}, not {serving}"
                    : await RecommendStatusAsync(service, cancellationToken) is var recommend and not HttpStatusCode.OK ? $"/recommend answered {(int)recommend}"
                    : null;
                if (problem is null)
                {
                    refused++;
                }
                else
                {
                    failures.Add($"{channel}/{version} ({kind}, {damaged}): {problem}");
                }

                var shown = (reason ?? body).ReplaceLineEndings(" ");
                table.AddRow(channel, version, Markup.Escape($"{kind} ({damaged})"), status.ToString(CultureInfo.InvariantCulture),
                    problem is null ? "yes" : "[red]NO[/]", Markup.Escape(shown.Length <= 80 ? shown : shown[..80]));
            }
        }

        AnsiConsole.Write(table);
        return new Outcome(tried, refused, serverErrors, failures);
    }

    private static async Task<HttpStatusCode> RecommendStatusAsync(ChaosService service, CancellationToken cancellationToken)
    {
        using var response = await service.Http.GetAsync(new Uri("/recommend/1?k=10", UriKind.Relative), cancellationToken);
        return response.StatusCode;
    }

    private static string? Detail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

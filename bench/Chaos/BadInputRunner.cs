using System.Net;
using System.Text.Json;
using Spectre.Console;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// Sends every <see cref="BadInput"/> to the running service and judges the answer: a 4xx whose body is problem
/// details with a non-empty <c>detail</c> (or <c>title</c>), and the input's own extra check. Prints the table.
/// </summary>
internal static class BadInputRunner
{
    private const int ShownReason = 80;

    /// <summary>The outcome: inputs tried, answered 4xx with a reason, 5xx answers, and the names of the failures.</summary>
    internal sealed record Outcome(int Tried, int Answered, int ServerErrors, IReadOnlyList<string> Failures);

    public static async Task<Outcome> RunAsync(ChaosService service, IReadOnlyList<BadInput> inputs, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumn("input").AddColumn(new TableColumn("status").RightAligned()).AddColumn("ok").AddColumn("reason (first 80 characters)");
        var answered = 0;
        var serverErrors = 0;
        var failures = new List<string>();
        foreach (var input in inputs)
        {
            if (input.Before is not null)
            {
                await input.Before();
            }

            int status;
            string reason;
            string? problem;
            try
            {
                using var request = input.Request();
                using var response = await service.Http.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                (reason, problem) = Judge(status, response.Content.Headers.ContentType?.MediaType, body, input.Check);
            }
            catch (HttpRequestException ex)
            {
                status = 0;
                reason = "";
                problem = $"no answer: {ex.Message}";
            }
            finally
            {
                if (input.After is not null)
                {
                    await input.After();
                }
            }

            if (status >= 500)
            {
                serverErrors++;
            }

            if (problem is null)
            {
                answered++;
            }
            else
            {
                failures.Add($"{input.Name}: {status} {problem}");
            }

            table.AddRow(Markup.Escape(input.Name), status.ToString(System.Globalization.CultureInfo.InvariantCulture), problem is null ? "yes" : "[red]NO[/]",
                Markup.Escape(Shorten(problem is null ? reason : $"{problem} {reason}")));
        }

        AnsiConsole.Write(table);

        // The configuration file was restored after each reload case: the service takes it back.
        using (var reload = await service.Http.SendAsync(ChaosService.Admin(HttpMethod.Post, "/admin/config/reload"), cancellationToken))
        {
            if (reload.StatusCode != HttpStatusCode.OK)
            {
                serverErrors += (int)reload.StatusCode >= 500 ? 1 : 0;
                failures.Add($"reload of the restored configuration answered {(int)reload.StatusCode}: {Shorten(await reload.Content.ReadAsStringAsync(cancellationToken))}");
            }
        }

        return new Outcome(inputs.Count, answered, serverErrors, failures);
    }

    /// <summary>The reason shown, and null when the answer is right or what is wrong with it.</summary>
    private static (string Reason, string? Problem) Judge(int status, string? mediaType, string body, Func<JsonElement, string?>? check)
    {
        if (status is < 400 or >= 500)
        {
            return (Shorten(body), "not a 4xx");
        }

        if (body.Length == 0)
        {
            return ("", "empty body");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (Shorten(body), "body is not a JSON object");
            }

            var reason = Text(root, "detail") ?? Text(root, "title");
            if (string.IsNullOrWhiteSpace(reason))
            {
                return (Shorten(body), "no detail or title");
            }

            if (mediaType != "application/problem+json")
            {
                return (reason, $"content type {mediaType}, not application/problem+json");
            }

            return (reason, check?.Invoke(root));
        }
        catch (JsonException)
        {
            return (Shorten(body), "body is not JSON");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= ShownReason ? line : line[..ShownReason];
    }
}

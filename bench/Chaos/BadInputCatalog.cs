using System.Text;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// The bad inputs of the chaos benchmark: every class of issue 21 (timestamps out of range, JSON-shape errors, k,
/// ids, body limits, admin keys and routes, configuration reloads) and more. Each must be answered 4xx with a
/// problem-details reason.
/// </summary>
internal static class BadInputCatalog
{
    public static IReadOnlyList<BadInput> Build(ChaosService service, bool twoTower)
    {
        var now = ChaosService.Now();
        string Event(string fields) => $$"""{"userId":1,"itemId":2,"type":"click","timestamp":{{now}}{{fields}}}""";
        string EventWith(string field, string value) => Event("").Replace($"\"{field}\":", $"\"_{field}\":", StringComparison.Ordinal).TrimEnd('}') + $",\"{field}\":{value}}}";
        string Without(string field) => Event("").Replace($"\"{field}\":", $"\"_{field}\":", StringComparison.Ordinal);
        string Batch(params string[] events) => $$"""{"events":[{{string.Join(',', events)}}]}""";
        BadInput Post(string name, string body, string contentType = "application/json", Func<System.Text.Json.JsonElement, string?>? check = null) =>
            new(name, () => new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(body, Encoding.UTF8, contentType) }, Check: check);
        BadInput Get(string name, string path) => new(name, () => new HttpRequestMessage(HttpMethod.Get, path));
        BadInput Admin(string name, HttpMethod method, string path, string? key) => new(name, () =>
        {
            var request = new HttpRequestMessage(method, path);
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Api-Key", key);
            }

            return request;
        });

        var tenMegabytes = new string('x', 10 << 20);
        var nested = new string('[', 200) + new string(']', 200);
        var longId = new string('7', 10_000);
        return
        [
            // Timestamps (cases 1 and 9): one range, named in the error.
            Post("events: timestamp -1", Batch(EventWith("timestamp", "-1"))),
            Post("events: timestamp 0001-01-01", Batch(EventWith("timestamp", "\"0001-01-01T00:00:00Z\""))),
            Post("events: timestamp 300000000000", Batch(EventWith("timestamp", "300000000000"))),
            Post("events: timestamp 1.5", Batch(EventWith("timestamp", "1.5"))),
            Post("events: timestamp \"yesterday\"", Batch(EventWith("timestamp", "\"yesterday\""))),
            Post("events: timestamp a day ahead", Batch(EventWith("timestamp", (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            Post("events: timestamp true", Batch(EventWith("timestamp", "true"))),

            // JSON shape (case 2).
            Post("events: invalid JSON", """{"events":[{"userId":1,"""),
            Post("events: top-level array", $"[{Event("")}]"),
            Post("events: \"type\": 5", Batch(EventWith("type", "5"))),
            Post("events: \"weight\": \"heavy\"", Batch(EventWith("weight", "\"heavy\""))),
            Post("events: bare NaN weight", Batch(EventWith("weight", "NaN"))),
            Post("events: missing userId", Batch(Without("userId"))),
            Post("events: missing itemId", Batch(Without("itemId"))),
            Post("events: missing type", Batch(Without("type"))),
            Post("events: unknown type", Batch(EventWith("type", "\"teleport\""))),
            Post("events: userId \"abc\"", Batch(EventWith("userId", "\"abc\""))),
            Post("events: userId 1.5", Batch(EventWith("userId", "1.5"))),
            Post("events: itemId 1e400", Batch(EventWith("itemId", "1e400"))),
            Post("events: requestId of 500 chars", Batch(EventWith("requestId", $"\"{new string('r', 500)}\""))),
            Post("events: events is an object", """{"events":{}}"""),
            Post("events: events missing", """{"items":[]}"""),
            Post("events: body null", "null"),
            Post("events: elements not objects", """{"events":[1,"two",null]}"""),
            Post("events: trailing garbage", """{"events":[]} trailing"""),
            Post("events: huge batch (1,001)", Batch(Enumerable.Repeat(Event(""), 1_001).ToArray())),
            Post("events: wrong content type", Batch(Event("")), "text/plain"),
            Post("events: empty body", ""),
            Post("events: nested 200 deep", nested),
            Post("events: 10 MB body", Batch(EventWith("requestId", $"\"{tenMegabytes}\""))),
            Post("events: mixed 3 valid + 2 invalid", Batch(Event(""), EventWith("timestamp", "300000000000"), Event(""), EventWith("type", "5"), Event("")),
                check: body => body.TryGetProperty("accepted", out var accepted) && accepted.GetInt32() == 3 ? null : $"accepted is not 3: {body}"),

            // k and ids (case 2, the 414).
            Get("recommend: k=abc", "/recommend/1?k=abc"),
            Get("recommend: k=1e3", "/recommend/1?k=1e3"),
            Get("recommend: k repeated", "/recommend/1?k=5&k=6"),
            Get("recommend: k=0", "/recommend/1?k=0"),
            Get("recommend: k=-1", "/recommend/1?k=-1"),
            Get("recommend: k=100000", "/recommend/1?k=100000"),
            Get("recommend: k=5.5", "/recommend/1?k=5.5"),
            Get("recommend: 10,000-char id", $"/recommend/{longId}"),
            Get("recommend: id abc", "/recommend/abc"),
            Get("recommend: unicode id", "/recommend/" + Uri.EscapeDataString("ユーザー")),
            Get("recommend: id over int64", "/recommend/99999999999999999999"),

            // Admin (case 10).
            Admin("admin: wrong key", HttpMethod.Get, "/admin/channels", "wrong"),
            Admin("admin: missing key", HttpMethod.Get, "/admin/channels", null),
            Admin("admin: unknown channel", HttpMethod.Post, "/admin/channels/no-such-channel/activate/v0001", ChaosService.AdminKey),
            Admin("admin: unknown version", HttpMethod.Post, "/admin/channels/itemcf/activate/v9999", ChaosService.AdminKey),
            Admin("admin: version ..%2F..", HttpMethod.Post, "/admin/channels/itemcf/activate/..%2F..%2Fpopular", ChaosService.AdminKey),
            Admin("admin: 5,000-char version", HttpMethod.Post, $"/admin/channels/itemcf/activate/v{new string('9', 5_000)}", ChaosService.AdminKey),
            Admin("admin: version not vNNNN", HttpMethod.Post, "/admin/channels/itemcf/activate/latest", ChaosService.AdminKey),

            // Configuration reload (case 8).
            new("config reload: broken file", () => ReloadRequest(),
                Before: () => File.WriteAllTextAsync(service.ConfigPath, ChaosConfiguration.Broken),
                After: () => File.WriteAllTextAsync(service.ConfigPath, ChaosConfiguration.Valid(twoTower))),
            new("config reload: invalid experiments", () => ReloadRequest(),
                Before: () => File.WriteAllTextAsync(service.ConfigPath, ChaosConfiguration.InvalidExperiments(twoTower)),
                After: () => File.WriteAllTextAsync(service.ConfigPath, ChaosConfiguration.Valid(twoTower))),

            // Experiments.
            Get("experiments: assignment of abc", "/experiments/assignment/abc"),
            Get("experiments: assignment over int64", "/experiments/assignment/99999999999999999999"),
        ];

        static HttpRequestMessage ReloadRequest() => ChaosService.Admin(HttpMethod.Post, "/admin/config/reload");
    }
}

namespace RecFramework.Bench.Chaos;

/// <summary>
/// One hostile request of the bad-input table. <paramref name="Request"/> builds it (a new message per call);
/// <paramref name="Before"/> runs first (e.g. writes a broken configuration file), <paramref name="After"/> afterwards
/// (restores it); <paramref name="Check"/> is an extra condition on the answer's JSON body (e.g. the accepted count of a
/// mixed batch), returning why it fails or null.
/// </summary>
internal sealed record BadInput(
    string Name,
    Func<HttpRequestMessage> Request,
    Func<Task>? Before = null,
    Func<Task>? After = null,
    Func<System.Text.Json.JsonElement, string?>? Check = null);

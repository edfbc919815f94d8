using Microsoft.AspNetCore.Http.HttpResults;

namespace RecFramework.AspNetCore;

/// <summary>
/// Problem-details answers of the service. A bad input names the <c>field</c>, its <c>value</c> (cut to
/// <see cref="ProblemText.MaxValueLength"/> characters) and the <c>rule</c> it breaks, both as extensions and in
/// <c>detail</c>.
/// </summary>
internal static class Problems
{
    /// <summary>An answer for one bad input: <c>detail</c> is "field 'value' rule" (or "field rule" without a value).</summary>
    public static ProblemHttpResult BadInput(string field, string? value, string rule, int statusCode = StatusCodes.Status400BadRequest, string? detail = null)
    {
        var shown = value is null ? null : ProblemText.Truncate(value);
        return TypedResults.Problem(
            detail ?? (shown is null ? $"{field} {rule}" : $"{field} '{shown}' {rule}"),
            statusCode: statusCode,
            extensions: new Dictionary<string, object?> { ["field"] = field, ["value"] = shown, ["rule"] = rule });
    }
}

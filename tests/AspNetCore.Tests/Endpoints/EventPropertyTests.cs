using RecFramework.Testing;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace RecFramework.AspNetCore.Tests.Endpoints;

/// <summary>
/// Property-based tests (CsCheck) of the event parser and validator: random and mutated inputs never throw, every
/// refusal has a reason with the value cut, and the endpoint always answers 2xx or 4xx with a body.
/// </summary>
public sealed class EventPropertyTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e400"),
        Gen.String.Select(s => JsonSerializer.Serialize(s)),
        Gen.Char.Array[0, 300].Select(c => JsonSerializer.Serialize(new string(c))),
        Gen.OneOf("null", "true", "false", "[]", "{}", "\"click\"", "\"0001-01-01T00:00:00Z\"", "\"2199-12-31T23:59:59Z\"", "-1", "0", "7258118400", "300000000000"));

    private static readonly Gen<string> Field = Gen.OneOf("userId", "itemId", "type", "timestamp", "weight", "requestId", "assignment", "USERID", "other");

    /// <summary>Objects with random known and unknown fields holding random scalars (and one level of nesting).</summary>
    private static readonly Gen<string> Element = Gen.OneOf(
        Gen.Select(Field, Scalar).Array[0, 9].Select(fields => "{" + string.Join(",", fields.Select(f => $"\"{f.Item1}\":{f.Item2}")) + "}"),
        Scalar,
        Scalar.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"));

    private static string ValidEvent(long user, long item, string type, long timestamp) =>
        $$"""{"userId":{{user}},"itemId":{{item}},"type":"{{type}}","timestamp":{{timestamp}}}""";

    private static readonly Gen<string> ValidBatch =
        Gen.Select(Gen.Long[1, 1000], Gen.Long[1, 1000], Gen.OneOf("click", "like", "impression"), Gen.Long[0, Now.ToUnixTimeSeconds()])
            .Select(e => ValidEvent(e.Item1, e.Item2, e.Item3, e.Item4)).Array[1, 5]
            .Select(events => "{\"events\":[" + string.Join(",", events) + "]}");

    /// <summary>A valid batch with a few characters deleted, inserted or replaced.</summary>
    private static readonly Gen<string> MutatedBatch =
        Gen.Select(ValidBatch, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 10_000], Gen.Char).Array[1, 4])
            .Select(x =>
            {
                var text = new StringBuilder(x.Item1);
                foreach (var (kind, at, c) in x.Item2)
                {
                    var i = text.Length == 0 ? 0 : at % text.Length;
                    _ = kind switch
                    {
                        0 when text.Length > 0 => text.Remove(i, 1),
                        1 => text.Insert(i, c),
                        _ when text.Length > 0 => text.Remove(i, 1).Insert(i, c),
                        _ => text,
                    };
                }

                return text.ToString();
            });

    [Fact]
    public void TheValidatorNeverThrowsAndEveryRefusalHasAShortReason()
    {
        var validator = new EventValidator(Now, TimeSpan.FromMinutes(5));
        Element.SampleSeeded(json =>
        {
            using var document = JsonDocument.Parse(json);
            if (!validator.TryValidate(document.RootElement, out var record, out var rejection))
            {
                Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
                Assert.True(rejection.Reason.Length < 400, rejection.Reason);
            }
            else
            {
                Assert.InRange(record.Event.Timestamp, EventTimestamps.MinUnixSeconds, EventTimestamps.MaxUnixSeconds);
                Assert.True(float.IsFinite(record.Event.Weight) && record.Event.Weight >= 0);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void ATimestampIsStoredExactlyWhenItIsInTheRangeAndNotInTheFuture()
    {
        var validator = new EventValidator(Now, TimeSpan.FromMinutes(5));
        Gen.OneOf(Gen.Long, Gen.Long[-10, EventTimestamps.MaxUnixSeconds + 10]).SampleSeeded(seconds =>
        {
            using var document = JsonDocument.Parse(ValidEvent(1, 2, "click", seconds));
            var stored = validator.TryValidate(document.RootElement, out _, out var rejection);
            var expected = EventTimestamps.Contains(seconds) && seconds <= Now.AddMinutes(5).ToUnixTimeSeconds();
            Assert.True(stored == expected, $"{seconds}: {rejection?.Reason}");
        }, iter: 20_000);
    }

    [Fact]
    public async Task RandomAndMutatedBodiesAlwaysAnswer2xxOr4xxWithABody()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var bodies = Gen.OneOf(
            MutatedBatch,
            Element.Array[0, 6].Select(e => "{\"events\":[" + string.Join(",", e) + "]}"),
            Element,
            Gen.String);

        await bodies.SampleSeededAsync(async body =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await service.Client.PostAsync(new Uri("/events", UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {body}: {text}");
            using var answer = JsonDocument.Parse(text);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.False(string.IsNullOrWhiteSpace(answer.RootElement.GetProperty("detail").GetString()));
            }
        }, iter: 400);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;

namespace RecFramework.AspNetCore.Tests.Page;

/// <summary>
/// <c>GET /experiments/page</c> through the test server: the bucket maps and experiments of the configuration, every
/// variant with its value and intervals, the SRM check and the decision from a seeded seven-day log with a planted
/// difference; the per-day cumulative history behind the charts; the key rule (header, cookie, one-time query); encoding of
/// names a log carries.
/// </summary>
public sealed class ExperimentPageTests
{
    private static async Task<HttpResponseMessage> GetPageAsync(ServiceUnderTest service, string query = "", string? key = null, string? cookie = null)
    {
        service.Client.DefaultRequestHeaders.Remove("X-Api-Key");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/experiments/page" + query);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await service.Client.SendAsync(request);
    }

    [Fact]
    public async Task ThePageShowsBucketMapsExperimentsAndEveryVariantWithValueIntervalsSrmAndDecision()
    {
        await using var service = await ServiceUnderTest.StartAsync(PageConfiguration.Values());
        await PlantedExposureLog.WriteAsync(service, users: 2000, days: 7, seed: 20261206);

        using var response = await GetPageAsync(service, key: PageConfiguration.ReadKey);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(PageConfiguration.ReadKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceUnderTest.AdminKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        // Bucket maps: the holdout bar and one bar per layer, with the running variants, the default and the reverse bucket.
        Assert.Single(AllIndexes(html, "class=\"holdout-map\""));
        Assert.Equal(2, AllIndexes(html, "class=\"bucket-map\"").Count);
        Assert.Contains("<td>0–39</td><td><span class=\"swatch\" style=\"background:#4e79a7\"></span>exp-page/control</td>", html, StringComparison.Ordinal);
        Assert.Contains("exp-page/treatment</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>80–99</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>0–4</td><td><span class=\"swatch\" style=\"background:#e15759\"></span>old-exp reverse</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>5–99</td>", html, StringComparison.Ordinal);

        // Experiments with their status.
        Assert.Matches("data-experiment=\"exp-page\">.*?<td class=\"status\">Running</td>", html);
        Assert.Matches("data-experiment=\"old-exp\">.*?<td class=\"status\">Launched</td>", html);

        // Every variant of the running experiment with a value inside its interval; the treatment's planted lift.
        var control = PageRows.Of(html, "exp-page/control");
        var treatment = PageRows.Of(html, "exp-page/treatment");
        foreach (var row in new[] { control, treatment })
        {
            Assert.True(row.Low < row.Value && row.Value < row.High, row.ToString());
        }

        Assert.True(treatment.Value > control.Value, $"{treatment} vs {control}");
        var fixedLift = PageRows.Interval(treatment.LiftInterval);
        var anytimeLift = PageRows.Interval(treatment.AnytimeInterval);
        Assert.True(anytimeLift.Low > 0, treatment.AnytimeInterval);
        Assert.True(anytimeLift.Low < fixedLift.Low && anytimeLift.High > fixedLift.High, $"{treatment.AnytimeInterval} vs {treatment.LiftInterval}");
        Assert.Equal("ship", treatment.Decision);
        Assert.Equal("—", control.LiftInterval);

        // The SRM checks ran (the log's assignments come from the served configuration) and found nothing.
        Assert.Matches("data-layer=\"ranking\">.*?<p class=\"srm\">Sample ratio: chi-square p = [0-9.eE-]+; sequential .*?<span class=\"ok\">no mismatch</span>", html);

        // Charts over time: one value chart per experiment group set and a lift chart where there is a control.
        Assert.Contains("class=\"chart-values\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"chart-lifts\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHistoryBehindTheChartsIsCumulativePerDayWithAnytimeIntervalsWiderThanFixedOnes()
    {
        await using var service = await ServiceUnderTest.StartAsync(PageConfiguration.Values(new() { ["RecFramework:LiveAnalysis:HistoryDays"] = "5" }));
        await PlantedExposureLog.WriteAsync(service, users: 2000, days: 7, seed: 7);

        var result = await service.App.Services.GetRequiredService<LiveAnalysis>().GetAsync(CancellationToken.None);

        var treatment = result.History.Where(f => f.Variant == "exp-page/treatment").ToList();
        Assert.Equal(5, treatment.Count); // the last five of seven days
        Assert.Equal(treatment.Select(f => f.Day).Order(), treatment.Select(f => f.Day));
        Assert.Equal(result.Report!.Layers.Single(l => l.Layer == "ranking").Variants.Single(v => v.Variant == "exp-page/treatment").Users, treatment[^1].Users);
        for (var i = 0; i < treatment.Count; i++)
        {
            var f = treatment[i];
            Assert.Equal("clicks_per_user", f.Metric);
            Assert.True(i == 0 || f.Users > treatment[i - 1].Users, "users accumulate day by day");
            Assert.True(f.Value!.CiLow < f.Value.Value && f.Value.Value < f.Value.CiHigh);
            Assert.True(f.Anytime!.Low <= f.Lift!.AbsoluteCiLow && f.Anytime.High >= f.Lift.AbsoluteCiHigh, $"day {f.Day}: {f.Anytime} vs {f.Lift}");
        }

        Assert.All(result.History.Where(f => f.Variant == "exp-page/control"), f => Assert.Null(f.Lift));

        // The JSON endpoint carries the same history.
        using var json = JsonDocument.Parse(await service.Client.GetStringAsync(new Uri("/experiments/analysis", UriKind.Relative)));
        Assert.Equal(result.History.Count, json.RootElement.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task ThePageNeedsTheReadOrAdminKeyFromTheHeaderTheCookieOrOnceFromTheQuery()
    {
        await using (var service = await ServiceUnderTest.StartAsync(PageConfiguration.Values()))
        {
            using (var none = await GetPageAsync(service))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await GetPageAsync(service, key: "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetPageAsync(service, cookie: "recfw-page-key=wrong")).StatusCode);
            using (var wrongQuery = await GetPageAsync(service, "?key=wrong"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrongQuery.StatusCode);
                Assert.False(wrongQuery.Headers.Contains("Set-Cookie"));
            }

            // A right key in the query: 303 to the page without it, setting the cookie the next load sends.
            using var redirect = await GetPageAsync(service, $"?key={PageConfiguration.ReadKey}");
            Assert.Equal(HttpStatusCode.SeeOther, redirect.StatusCode);
            Assert.Equal("/experiments/page", redirect.Headers.Location?.OriginalString);
            var setCookie = redirect.Headers.GetValues("Set-Cookie").Single();
            Assert.StartsWith($"recfw-page-key={PageConfiguration.ReadKey};", setCookie, StringComparison.Ordinal);
            Assert.Contains("path=/experiments/page", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            using var withCookie = await GetPageAsync(service, cookie: setCookie.Split(';')[0]);
            Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
            Assert.Contains("The exposure log has no request yet.", await withCookie.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.OK, (await GetPageAsync(service, key: PageConfiguration.ReadKey)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetPageAsync(service, key: ServiceUnderTest.AdminKey)).StatusCode);
            Assert.Equal(HttpStatusCode.SeeOther, (await GetPageAsync(service, $"?key={ServiceUnderTest.AdminKey}")).StatusCode);
        }

        await using var keyless = await ServiceUnderTest.StartAsync(PageConfiguration.Values(new() { ["RecFramework:Service:AdminApiKey"] = "", ["RecFramework:Service:ReadApiKey"] = "" }));
        Assert.Equal(HttpStatusCode.NotFound, (await GetPageAsync(keyless)).StatusCode);
    }

    [Fact]
    public async Task NamesFromTheLogAreHtmlEncoded()
    {
        const string Experiment = "<script>alert(1)</script>";
        const string Variant = "\"><img src=x onerror=alert(2)>";
        await using var service = await ServiceUnderTest.StartAsync(PageConfiguration.Values());
        var stamps = new[] { "control", Variant }.Select(v => new AssignmentStamp(false, "other-version", [new LayerStamp("<b>layer</b>", Experiment, v, 1, false)])).ToArray();
        var requests = Enumerable.Range(1, 40).Select(u => new RequestRecord($"r{u}", u, 20_000, 2, stamps[u % 2])).ToList();
        var exposures = requests.SelectMany(r => new[] { new ExposureRecord(r.RequestId, r.UserId, r.Day, 1, 0, "popular", r.Assignment), new ExposureRecord(r.RequestId, r.UserId, r.Day, 2, 1, "popular", r.Assignment) }).ToList();
        var clicks = requests.Where(r => r.UserId % 3 == 0).Select(r => new ClickRecord(r.RequestId, r.UserId, r.Day, 1, 0, "popular", r.Assignment)).ToList();
        await LoggedEventsFile.WriteAsync(new ExperimentLog { Requests = requests, Exposures = exposures, Clicks = clicks }, Path.Combine(service.Root, "exposures.jsonl.1"), CancellationToken.None);

        using var response = await GetPageAsync(service, key: PageConfiguration.ReadKey);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>layer", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;layer&lt;/b&gt;", html, StringComparison.Ordinal);
        var label = System.Text.Encodings.Web.HtmlEncoder.Default.Encode($"{Experiment}/{Variant}");
        var row = PageRows.Of(html, label); // the hostile variant still shows its value and interval
        Assert.True(row.Low <= row.Value && row.Value <= row.High, row.ToString());
        Assert.Contains("other-version", html, StringComparison.Ordinal); // the configuration-version warning, encoded as text
    }

    private static List<int> AllIndexes(string text, string value)
    {
        var found = new List<int>();
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            found.Add(i);
        }

        return found;
    }
}

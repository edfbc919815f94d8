using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace RecFramework.Host.Tests.Cli;

/// <summary><c>compare --retention-days</c>: the N of the day-N retention figures, and a bad value refused naming it. Runs the real executable.</summary>
public sealed class CompareRetentionDaysTests : IDisposable
{
    private const string Layers = """[{"layer":"recall","experiment":"exp","variant":"control","bucket":3,"reverse":false}]""";
    private readonly string _dir = Directory.CreateTempSubdirectory("recfw-cli-retention-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task<(int Code, string Output)> RunAsync(params string[] args) => HostExecutable.RunAsync(_dir, ownStores: true, args);

    [Fact]
    public async Task ALoggedCompareReportsTheRetentionDaysAsked()
    {
        // User 1 is active on days 0, 2 and 3; user 2 on days 0 and 1.
        var visits = new (long User, int Day)[] { (1, 0), (1, 2), (1, 3), (2, 0), (2, 1) };
        var log = Path.Combine(_dir, "events.jsonl");
        File.WriteAllLines(log, visits.Select(v =>
            $$"""{"type":"request","request_id":"u{{v.User}}-{{v.Day}}","user_id":{{v.User}},"day":{{v.Day}},"k":1,"holdout":false,"config_version":"v1","items":[5],"channels":["popular"],"layers":{{Layers}}}"""));
        var json = Path.Combine(_dir, "report.json");

        var (code, output) = await RunAsync("compare", "--mode", "logged", "--data", log, "--json", json, "--retention-days", "1, 2");

        Assert.True(code == 0, output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal([1, 2], report.RootElement.GetProperty("retention_days").EnumerateArray().Select(e => e.GetInt32()));
        var retention = report.RootElement.GetProperty("layers")[0].GetProperty("variants")[0].GetProperty("retention");
        // Day 1 (pairs with d + 1 <= 3): user 1 → 0 ✗, 2 ✓; user 2 → 0 ✓, 1 ✗: 2/4. Day 2 (d <= 1): user 1 → 0 ✓; user 2 → 0 ✗, 1 ✗: 1/3.
        Assert.Equal(0.5, retention.GetProperty("day_1").GetProperty("value").GetDouble(), 12);
        Assert.Equal(1.0 / 3, retention.GetProperty("day_2").GetProperty("value").GetDouble(), 12);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1,seven")]
    public async Task ABadRetentionDayIsRefusedNamingItWithExitCodeTwo(string days)
    {
        var (code, output) = await RunAsync("compare", "--mode", "logged", "--data", Path.Combine(_dir, "none.jsonl"), "--retention-days", days);

        Assert.True(code == 2, output);
        Assert.Contains($"--retention-days '{days.Split(',')[^1]}' is not a whole number of days >= 1.", output, StringComparison.Ordinal);
    }
}

using RecFramework.Data;

namespace RecFramework.Tests.Data;

public sealed class EventLogWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1_800)]
    [InlineData("24h", 86_400)]
    [InlineData("7d", 604_800)]
    [InlineData("2W", 1_209_600)]
    public void ADurationReachesBackFromNow(string since, long seconds)
    {
        var window = EventLogWindow.Parse(since, null, Now);

        Assert.Equal(Now.AddSeconds(-seconds), window.Since);
        Assert.Equal(Now, window.Until);
        Assert.True(window.Contains(window.SinceSeconds));
        Assert.False(window.Contains(window.UntilSeconds));
    }

    [Fact]
    public void TimesAreUnixSecondsOrIso8601()
    {
        var window = EventLogWindow.Parse("2026-12-05T00:00:00", "1796601600", Now);

        Assert.Equal(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), window.Since);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_601_600), window.Until);
        Assert.Equal(Now.AddHours(-2), EventLogWindow.Parse("3h", "2h", Now).Until);
    }

    [Theory]
    [InlineData("24x", null, "--since '24x'")]
    [InlineData("0h", null, "--since '0h'")]
    [InlineData("-5m", null, "--since '-5m'")]
    [InlineData("yesterday", null, "--since 'yesterday'")]
    [InlineData("99999999d", null, "--since '99999999d'")]
    [InlineData("24h", "soon", "--until 'soon'")]
    [InlineData("1h", "2h", "--since '1h'")]
    [InlineData("2026-12-07T00:00:00", null, "--since '2026-12-07T00:00:00'")]
    public void ABadWindowIsRefusedNamingTheValue(string since, string? until, string named)
    {
        var ex = Assert.Throws<RecFrameworkException>(() => EventLogWindow.Parse(since, until, Now));

        Assert.Equal(RecError.InvalidArgument, ex.Error);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LastRefusesASpanThatIsNotPositive()
    {
        Assert.Equal(Now.AddMinutes(-10), EventLogWindow.Last(TimeSpan.FromMinutes(10), Now).Since);
        Assert.Throws<RecFrameworkException>(() => EventLogWindow.Last(TimeSpan.Zero, Now));
        Assert.Throws<RecFrameworkException>(() => new EventLogWindow(Now, Now));
    }
}

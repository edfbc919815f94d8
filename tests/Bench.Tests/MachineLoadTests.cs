namespace RecFramework.Bench.Tests;

public sealed class MachineLoadTests
{
    // A real /proc/stat head (kernel 6.x): user nice system idle iowait irq softirq steal guest guest_nice.
    private const string StatBefore = """
        cpu  3853972 4096 828668 730541 17776 0 9179 1200 0 0
        cpu0 1926986 2048 414334 365270 8888 0 4589 600 0 0
        cpu1 1926986 2048 414334 365271 8888 0 4590 600 0 0
        intr 123456 0 0
        ctxt 987654
        """;

    [Fact]
    public void ReadsTheOneMinuteLoadAverage()
    {
        Assert.Equal(38.68, MachineLoad.ParseLoadAverage("38.68 36.86 22.24 48/534 31618\n"), 6);
        Assert.Equal(0.0, MachineLoad.ParseLoadAverage("0.00 0.01 0.05 1/120 42"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("busy 1.0 1.0")]
    [InlineData("-1.0 0 0 1/1 1")]
    public void RejectsTextThatIsNotALoadAverage(string text)
        => Assert.Throws<FormatException>(() => MachineLoad.ParseLoadAverage(text));

    [Fact]
    public void ReadsTheAggregateCpuLineOnly()
    {
        var times = MachineLoad.ParseCpuTimes(StatBefore);
        Assert.Equal(3853972L + 4096 + 828668 + 730541 + 17776 + 0 + 9179 + 1200, times.Total);
        Assert.Equal(730541, times.Idle);
        Assert.Equal(17776, times.IoWait);
        Assert.Equal(1200, times.Steal);
    }

    [Fact]
    public void ReadsAnOldKernelsCpuLineWithoutStealAsNoSteal()
    {
        var times = MachineLoad.ParseCpuTimes("cpu  100 0 50 800 50\n");
        Assert.Equal(1000, times.Total);
        Assert.Equal(0, times.Steal);
    }

    [Theory]
    [InlineData("intr 1 2 3\n")]
    [InlineData("cpu  100 x 50 800 50 0 0 0\n")]
    public void RejectsStatTextWithoutAUsableCpuLine(string text)
        => Assert.Throws<FormatException>(() => MachineLoad.ParseCpuTimes(text));

    [Fact]
    public void StealAndIoWaitAreSharesOfTheTimeBetweenTwoSamples()
    {
        var before = MachineLoad.ParseCpuTimes(StatBefore);
        // 1,000 jiffies later: 600 user, 200 idle, 100 iowait, 100 steal.
        var after = MachineLoad.ParseCpuTimes("cpu  3854572 4096 828668 730741 17876 0 9179 1300 0 0\n");
        var (steal, ioWait) = MachineLoad.Shares(before, after);
        Assert.Equal(0.10, steal, 9);
        Assert.Equal(0.10, ioWait, 9);
        Assert.Equal((0.0, 0.0), MachineLoad.Shares(after, after));
    }

    [Fact]
    public void AQuietPhaseHasNoBusyReason()
        => Assert.Null(new MachineLoad.PhaseLoad(LoadBefore: 1.49, Steal: 0.05, IoWait: 0.5, Cores: 2).BusyReason(new MachineLoad.Thresholds()));

    [Fact]
    public void LoadAboveThreeQuartersOfTheCoresIsBusyAndTheReasonNamesFiguresAndThreshold()
    {
        var reason = new MachineLoad.PhaseLoad(LoadBefore: 1.51, Steal: 0, IoWait: 0, Cores: 2).BusyReason(new MachineLoad.Thresholds());
        Assert.NotNull(reason);
        Assert.Contains("1.51", reason, StringComparison.Ordinal);
        Assert.Contains("1.50", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("steal", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StealAboveFivePercentIsBusy()
    {
        var reason = new MachineLoad.PhaseLoad(LoadBefore: 0.1, Steal: 0.051, IoWait: 0, Cores: 2).BusyReason(new MachineLoad.Thresholds());
        Assert.NotNull(reason);
        Assert.Contains("steal", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ThresholdsCanBeLoosened()
    {
        var busy = new MachineLoad.PhaseLoad(LoadBefore: 30, Steal: 0.2, IoWait: 0, Cores: 2);
        Assert.NotNull(busy.BusyReason(new MachineLoad.Thresholds()));
        Assert.Null(busy.BusyReason(new MachineLoad.Thresholds(MaxLoadPerCore: 16, MaxSteal: 0.25)));
    }

    [Fact]
    public void WithoutProcFiguresTheGuardNeverFires()
        => Assert.Null(new MachineLoad.PhaseLoad(double.NaN, double.NaN, double.NaN, 2).BusyReason(new MachineLoad.Thresholds()));
}

using Microsoft.Extensions.Time.Testing;
using RecFramework.Lifecycle;

namespace RecFramework.Tests.Lifecycle;

/// <summary>The file lease of the model-update worker: one holder at a time, renewal, take-over after expiry.</summary>
public sealed class UpdateLeaseTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rf-lease-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private UpdateLease Lease(string owner) => new(_root, "itemcf", owner, TimeSpan.FromMinutes(15), _time);

    [Fact]
    public void OneHolderAtATimeRenewedByItsUpdatesAndTakenOverAfterExpiry()
    {
        var a = Lease("a");
        var b = Lease("b");

        Assert.True(a.TryAcquire());
        Assert.False(b.TryAcquire());
        Assert.Equal(("a", _time.GetUtcNow().AddMinutes(15)), b.LastSeen);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(a.TryAcquire()); // renewed: now until 12:25
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(b.TryAcquire());
        Assert.Equal("a", b.LastSeen.Owner);

        _time.Advance(TimeSpan.FromMinutes(6)); // 12:26: expired
        Assert.True(b.TryAcquire());
        Assert.False(a.TryAcquire());
        Assert.Equal("b", a.LastSeen.Owner);
        Assert.Equal([Path.Combine(_root, "update-itemcf.lease")], Directory.GetFiles(_root)); // no temporary or claim file left
    }

    [Fact]
    public void ADamagedLeaseFileDoesNotBlockUpdates()
    {
        File.WriteAllText(Path.Combine(_root, "update-itemcf.lease"), "{ half-writ");

        Assert.True(Lease("a").TryAcquire());
        Assert.False(Lease("b").TryAcquire());
    }

    [Fact]
    public void AHolderKeepsItsLeaseThroughAnUpdateLongerThanTheLeaseAndLosesItAfterwards()
    {
        var a = Lease("a");
        var b = Lease("b");
        Assert.True(a.TryAcquire()); // until 12:15

        using (a.KeepRenewed())
        {
            for (var minute = 0; minute < 40; minute += 5) // a 40-minute update: renewed at 12:05, 12:10, …
            {
                _time.Advance(TimeSpan.FromMinutes(5));
                Assert.False(b.TryAcquire());
                Assert.Equal("a", b.LastSeen.Owner);
                Assert.True(b.LastSeen.Expires > _time.GetUtcNow().AddMinutes(9), $"at +{minute + 5} min the lease runs until {b.LastSeen.Expires:HH:mm}");
            }
        }

        _time.Advance(TimeSpan.FromMinutes(16)); // the update ended at 12:40; the last renewal (12:40) ran out at 12:55
        Assert.True(b.TryAcquire());
    }
}

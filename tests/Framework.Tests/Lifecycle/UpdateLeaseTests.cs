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
        // No temporary or claim file left; the create lock's (empty) side file stays.
        Assert.Equal([Path.Combine(_root, "update-itemcf.lease"), Path.Combine(_root, "update-itemcf.lease.lock")], Directory.GetFiles(_root).Order());
    }

    [Fact]
    public async Task OfManyWorkersCreatingTheLeaseAtOnceExactlyOneGetsIt()
    {
        // A move without overwrite is a check and a rename on Unix: without the create lock two of these could win.
        for (var round = 0; round < 50; round++)
        {
            var root = Path.Combine(_root, $"round-{round}");
            var leases = Enumerable.Range(0, 8).Select(i => new UpdateLease(root, "itemcf", $"w{i}", TimeSpan.FromMinutes(15), _time)).ToArray();
            Directory.CreateDirectory(root);
            using var start = new Barrier(leases.Length);
            var won = await Task.WhenAll(leases.Select(lease => Task.Run(() =>
            {
                start.SignalAndWait();
                return lease.TryAcquire();
            })));
            Assert.Equal(1, won.Count(w => w));
            var winner = Array.IndexOf(won, true);

            // Every other worker knows who won (it waited for the winner's create instead of reporting "?").
            Assert.All(leases.Where((_, i) => i != winner), lease => Assert.Equal($"w{winner}", lease.LastSeen.Owner));
            Assert.All(leases.Where((_, i) => i != winner), lease => Assert.False(lease.TryAcquire()));
        }
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

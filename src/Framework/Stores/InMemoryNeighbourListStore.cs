using System.Collections.Concurrent;

namespace RecFramework.Stores;

/// <summary>
/// In-process neighbour-list store (the default backend): a version's lists are collected aside and become visible
/// in one reference swap once <see cref="PublishAsync"/> has read them all. Claims expire on the
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class InMemoryNeighbourListStore : INeighbourListStore
{
    private readonly ConcurrentDictionary<(string Channel, string Version), Dictionary<long, NeighbourList>> _published = new();
    private readonly ConcurrentDictionary<(string Channel, string Version), Claim> _claims = new();
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    public InMemoryNeighbourListStore(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <inheritdoc />
    public ValueTask<bool> IsPublishedAsync(string channel, string version, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_published.ContainsKey(Key(channel, version)));

    /// <inheritdoc />
    public ValueTask<bool> TryClaimAsync(string channel, string version, string owner, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var key = Key(channel, version);
        if (_published.ContainsKey(key))
        {
            return ValueTask.FromResult(false);
        }

        ArgumentException.ThrowIfNullOrEmpty(owner);
        var now = _time.GetUtcNow();
        var claim = new Claim(owner, now + lease);
        while (true)
        {
            if (_claims.TryAdd(key, claim))
            {
                return ValueTask.FromResult(true);
            }

            if (!_claims.TryGetValue(key, out var held))
            {
                continue;
            }

            if (held.Until > now)
            {
                return ValueTask.FromResult(false);
            }

            if (_claims.TryUpdate(key, claim, held))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseClaimAsync(string channel, string version, string owner, CancellationToken cancellationToken = default)
    {
        var key = Key(channel, version);
        if (_claims.TryGetValue(key, out var held) && held.Owner == owner)
        {
            _claims.TryRemove(new KeyValuePair<(string, string), Claim>(key, held));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(string channel, string version, IEnumerable<KeyValuePair<long, NeighbourList>> lists, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var key = Key(channel, version);
        var staged = new Dictionary<long, NeighbourList>();
        foreach (var (id, list) in lists)
        {
            cancellationToken.ThrowIfCancellationRequested();
            staged[id] = list ?? throw new ArgumentException($"The list of id {id} is null.", nameof(lists));
        }

        _published.TryAdd(key, staged);
        _claims.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<NeighbourList?[]?> GetAsync(string channel, string version, IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!_published.TryGetValue(Key(channel, version), out var lists))
        {
            return ValueTask.FromResult<NeighbourList?[]?>(null);
        }

        var result = new NeighbourList?[ids.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = lists.GetValueOrDefault(ids[i]);
        }

        return ValueTask.FromResult<NeighbourList?[]?>(result);
    }

    private sealed record Claim(string Owner, DateTimeOffset Until);

    private static (string, string) Key(string channel, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(version);
        return (channel, version);
    }
}

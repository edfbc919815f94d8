using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace RecFramework.Stores;

/// <summary>In-process history store: a bounded ring per user.</summary>
public sealed class InMemoryUserHistoryStore : IUserHistoryStore
{
    private readonly ConcurrentDictionary<long, Ring> _users = new();
    private readonly int _capacity;

    /// <summary>Creates the store.</summary>
    public InMemoryUserHistoryStore(IOptions<StoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.Value.HistoryCapacity;
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(Interaction interaction, CancellationToken cancellationToken = default)
    {
        var ring = _users.GetOrAdd(interaction.UserId, static (_, capacity) => new Ring(capacity), _capacity);
        lock (ring)
        {
            ring.Add(interaction);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!_users.TryGetValue(userId, out var ring))
        {
            return ValueTask.FromResult<IReadOnlyList<Interaction>>([]);
        }

        lock (ring)
        {
            return ValueTask.FromResult<IReadOnlyList<Interaction>>(ring.Last(count));
        }
    }

    private sealed class Ring(int capacity)
    {
        private readonly Interaction[] _items = new Interaction[capacity];
        private int _start;
        private int _count;

        public void Add(Interaction e)
        {
            if (_count < _items.Length)
            {
                _items[(_start + _count) % _items.Length] = e;
                _count++;
            }
            else
            {
                _items[_start] = e;
                _start = (_start + 1) % _items.Length;
            }
        }

        public Interaction[] Last(int n)
        {
            n = Math.Min(n, _count);
            var result = new Interaction[n];
            for (var i = 0; i < n; i++)
            {
                result[i] = _items[(_start + _count - n + i) % _items.Length];
            }

            return result;
        }
    }
}

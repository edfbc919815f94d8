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

    /// <summary>Slots allocated for <paramref name="userId"/>'s events (0 for an unknown user): grows with the events up to the capacity.</summary>
    internal int SlotsOf(long userId)
    {
        if (!_users.TryGetValue(userId, out var ring))
        {
            return 0;
        }

        lock (ring)
        {
            return ring.Slots;
        }
    }

    /// <summary>
    /// The newest <c>capacity</c> events of one user. The buffer grows by doubling up to the capacity, so a user with
    /// ten events holds sixteen slots, not the capacity (200 by default: 8 KB per user, 8 GB for a million users).
    /// Until the buffer is full at the capacity, events sit in order from index 0; after that it wraps.
    /// </summary>
    private sealed class Ring(int capacity)
    {
        private const int InitialSlots = 8;
        private Interaction[] _items = [];
        private int _start;
        private int _count;

        /// <summary>Slots allocated (for tests: grows with the events, never past the capacity).</summary>
        public int Slots => _items.Length;

        public void Add(Interaction e)
        {
            if (_count < capacity)
            {
                if (_count == _items.Length)
                {
                    Array.Resize(ref _items, Math.Min(capacity, Math.Max(InitialSlots, _items.Length * 2)));
                }

                _items[_count++] = e;
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

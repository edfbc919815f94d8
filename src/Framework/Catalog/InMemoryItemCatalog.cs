namespace RecFramework.Catalog;

/// <summary>
/// In-process <see cref="IItemCatalog"/>: items by id plus, per (field, value), a list ordered newest first
/// (<see cref="NewestFirstList"/>: sorted chunks of plain entries), so
/// <see cref="Newest"/> reads only what it returns (and what it skips). Many readers run in parallel; writers
/// (profile upserts, first sightings of items) take the lock alone. An event for an item already seen earlier takes
/// only the read lock.
/// </summary>
public sealed class InMemoryItemCatalog : IItemCatalog, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<long, CatalogItem> _items = [];
    private readonly Dictionary<(string Field, string Value), NewestFirstList> _byValue = [];

    /// <inheritdoc />
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _items.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <inheritdoc />
    public CatalogItem? Get(long itemId)
    {
        _lock.EnterReadLock();
        try
        {
            return _items.GetValueOrDefault(itemId);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<CatalogItem> Newest(string field, string value, int count, IReadOnlySet<long>? exclude = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<CatalogItem>(Math.Min(count, 64));
        _lock.EnterReadLock();
        try
        {
            if (count == 0 || !_byValue.TryGetValue((field, value), out var entries))
            {
                return result;
            }

            foreach (var entry in entries.InOrder())
            {
                if (exclude is null || !exclude.Contains(entry.ItemId))
                {
                    result.Add(_items[entry.ItemId]);
                    if (result.Count == count)
                    {
                        break;
                    }
                }
            }

            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public ValueTask UpsertAsync(CatalogItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        _lock.EnterWriteLock();
        try
        {
            var existing = Unindex(item.ItemId);
            var firstSeen = Earliest(existing?.FirstSeen, item.FirstSeen);
            Index(firstSeen == item.FirstSeen ? item : item with { FirstSeen = firstSeen });
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ObserveAsync(long itemId, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        _lock.EnterReadLock();
        try
        {
            if (_items.TryGetValue(itemId, out var known) && known.FirstSeen <= time)
            {
                return ValueTask.CompletedTask;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        _lock.EnterWriteLock();
        try
        {
            var existing = Unindex(itemId) ?? new CatalogItem(itemId);
            Index(existing with { FirstSeen = Earliest(existing.FirstSeen, time) });
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock.Dispose();

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a.Value <= b.Value ? a : b;

    private CatalogItem? Unindex(long itemId)
    {
        if (!_items.Remove(itemId, out var existing))
        {
            return null;
        }

        var entry = CatalogEntry.Of(existing);
        foreach (var (field, values) in existing.Fields)
        {
            foreach (var value in values)
            {
                if (_byValue.TryGetValue((field, value), out var entries) && entries.Remove(entry) && entries.Count == 0)
                {
                    _byValue.Remove((field, value));
                }
            }
        }

        return existing;
    }

    private void Index(CatalogItem item)
    {
        _items[item.ItemId] = item;
        var entry = CatalogEntry.Of(item);
        foreach (var (field, values) in item.Fields)
        {
            foreach (var value in values)
            {
                if (!_byValue.TryGetValue((field, value), out var entries))
                {
                    _byValue[(field, value)] = entries = new NewestFirstList();
                }

                entries.Add(entry);
            }
        }
    }
}

namespace RecFramework.Stores.Contracts;

/// <summary>Behaviour every <see cref="IEventStore"/> backend must show; backends' tests inherit it.</summary>
public abstract class EventStoreContract
{
    /// <summary>A fresh, empty event log (the derived test class disposes it).</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    /// <summary>Every event of the log, in order.</summary>
    protected static async Task<List<EventRecord>> ReadAllAsync(IEventStore store)
    {
        var all = new List<EventRecord>();
        await foreach (var e in store.ReadAsync(0, int.MaxValue))
        {
            all.Add(e);
        }

        return all;
    }

    [Fact]
    public async Task NumbersEventsFromOneAndKeepsEveryField()
    {
        var store = await CreateStoreAsync();
        EventRecord[] batch =
        [
            new(new Interaction(1, 10, InteractionType.Click, 1_700_000_000, 1f), "req-1", "layer=main;exp=e1;variant=b;bucket=17;cfg=3f2a"),
            new(new Interaction(-2, long.MaxValue, InteractionType.Impression, 0, 0.5f), null, null),
            new(new Interaction(3, -30, InteractionType.Like, 5, 2.25f), "req-é", ""),
        ];

        var last = await store.AppendAsync(batch);

        Assert.Equal(3, last);
        var read = await ReadAllAsync(store);
        Assert.Equal(batch.Select((e, i) => e with { Sequence = i + 1 }), read);
        Assert.Equal(3, await store.CountAsync());
    }

    [Fact]
    public async Task EmptyLogAndEmptyBatch()
    {
        var store = await CreateStoreAsync();

        Assert.Equal(0, await store.CountAsync());
        Assert.Equal(0, await store.AppendAsync([]));
        Assert.Empty(await ReadAllAsync(store));
        await store.AppendAsync([Event(1)]);
        Assert.Equal(1, await store.AppendAsync([]));
    }

    [Fact]
    public async Task ContinuesSequencesAcrossBatchesAndPagesReads()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(2, await store.AppendAsync([Event(1), Event(2)]));
        Assert.Equal(5, await store.AppendAsync([Event(3), Event(4), Event(5)]));

        var page = new List<EventRecord>();
        await foreach (var e in store.ReadAsync(1, 3))
        {
            page.Add(e);
        }

        Assert.Equal([2L, 3L, 4L], page.Select(e => e.Sequence));
        Assert.Equal([2L, 3L, 4L], page.Select(e => e.Event.ItemId));
        Assert.Equal(5, await store.CountAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var unused in store.ReadAsync(-1, 10))
            {
            }
        });
    }

    [Fact]
    public async Task ConcurrentAppendsLoseNothingAndKeepBatchesContiguous()
    {
        var store = await CreateStoreAsync();
        const int tasks = 16, batchesPerTask = 10, batchSize = 3;
        var returned = new long[tasks * batchesPerTask];
        await Parallel.ForAsync(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (t, ct) =>
        {
            for (var b = 0; b < batchesPerTask; b++)
            {
                var batchId = (t * batchesPerTask) + b;
                var events = Enumerable.Range(0, batchSize).Select(i => Event((batchId * batchSize) + i)).ToArray();
                returned[batchId] = await store.AppendAsync(events, ct);
            }
        });

        const int total = tasks * batchesPerTask * batchSize;
        var all = await ReadAllAsync(store);
        Assert.Equal(total, await store.CountAsync());
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.Equal(total, all.Select(e => e.Event.ItemId).Distinct().Count());
        var sequenceOfItem = all.ToDictionary(e => e.Event.ItemId, e => e.Sequence);
        for (var batchId = 0; batchId < returned.Length; batchId++)
        {
            for (var i = 0; i < batchSize; i++)
            {
                Assert.Equal(returned[batchId] - batchSize + 1 + i, sequenceOfItem[(batchId * batchSize) + i]);
            }
        }
    }

    [Fact]
    public async Task RejectsANullEvent()
    {
        var store = await CreateStoreAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync([Event(1), null!]));
        Assert.Contains("events[1]", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await store.CountAsync());
    }

    /// <summary>A click of user 1 on <paramref name="item"/>.</summary>
    protected static EventRecord Event(long item) => new(new Interaction(1, item, InteractionType.Click, 1000 + item), $"r{item}", "exp=a");
}

using System.Globalization;
using Parquet;

namespace RecFramework.Export.Parquet;

/// <summary>
/// Writes events into one Parquet file set per UTC day (<c>events/date=YYYY-MM-DD/part-NNNN.parquet</c>) with bounded
/// memory: each open day buffers at most one row group, at most <see cref="TrainingExportOptions.MaxOpenDays"/> days are
/// open, and the least recently written day is closed to open another (its later events go to its next part file).
/// </summary>
internal sealed class DayPartitionWriter : IAsyncDisposable
{
    private readonly string _root;
    private readonly int _rowGroupSize;
    private readonly int _maxOpen;
    private readonly Dictionary<DateOnly, OpenDay> _open = [];
    private readonly SortedDictionary<DateOnly, DayTally> _days = [];
    private long _clock;

    public DayPartitionWriter(string root, int rowGroupSize, int maxOpen)
    {
        _root = root;
        _rowGroupSize = rowGroupSize;
        _maxOpen = maxOpen;
    }

    /// <summary>Row groups written so far.</summary>
    public int RowGroups { get; private set; }

    /// <summary>Buffers <paramref name="e"/> under <paramref name="day"/>, writing a row group when the day's buffer is full.</summary>
    public async ValueTask AddAsync(DateOnly day, Interaction e, CancellationToken cancellationToken)
    {
        if (!_open.TryGetValue(day, out var open))
        {
            if (_open.Count >= _maxOpen)
            {
                var oldest = _open.MinBy(kv => kv.Value.LastUse).Key;
                await CloseAsync(oldest, cancellationToken).ConfigureAwait(false);
            }

            open = new OpenDay(Math.Min(_rowGroupSize, 4_096));
            _open[day] = open;
        }

        open.LastUse = ++_clock;
        open.Add(e, _rowGroupSize);
        if (open.Count == _rowGroupSize)
        {
            await FlushAsync(day, open, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Flushes and closes every open day; returns the partitions by date.</summary>
    public async Task<IReadOnlyList<ExportedDay>> CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var day in _open.Keys.ToArray())
        {
            await CloseAsync(day, cancellationToken).ConfigureAwait(false);
        }

        return _days.Select(kv => new ExportedDay(kv.Key, kv.Value.Rows, kv.Value.Files)).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var open in _open.Values)
        {
            await open.DisposeWriterAsync().ConfigureAwait(false);
        }

        _open.Clear();
    }

    /// <summary>The relative path of a day's part file.</summary>
    public static string PartPath(DateOnly day, int part) =>
        $"events/date={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/part-{part.ToString("D4", CultureInfo.InvariantCulture)}.parquet";

    private async Task CloseAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var open = _open[day];
        await FlushAsync(day, open, cancellationToken).ConfigureAwait(false);
        await open.DisposeWriterAsync().ConfigureAwait(false);
        _open.Remove(day);
    }

    private async Task FlushAsync(DateOnly day, OpenDay open, CancellationToken cancellationToken)
    {
        if (open.Count == 0)
        {
            return;
        }

        if (open.Writer is null)
        {
            if (!_days.TryGetValue(day, out var tally))
            {
                tally = new DayTally();
                _days[day] = tally;
            }

            var relative = PartPath(day, tally.Files.Count);
            var path = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            open.Stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            open.Writer = await ParquetWriter.CreateAsync(EventColumns.Schema, open.Stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            tally.Files.Add(relative);
        }

        var n = open.Count;
        using (var group = open.Writer.CreateRowGroup())
        {
            await group.WriteAsync<long>(EventColumns.UserId, open.Users.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<long>(EventColumns.ItemId, open.Items.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(EventColumns.EventType, open.Types.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<long>(EventColumns.Timestamp, open.Times.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<float>(EventColumns.Weight, open.Weights.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<bool>(EventColumns.Positive, open.Positives.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _days[day].Rows += n;
        RowGroups++;
        open.Count = 0;
    }

    private sealed class DayTally
    {
        public long Rows { get; set; }

        public List<string> Files { get; } = [];
    }

    /// <summary>A day's open part file and its buffer (columns, grown up to one row group).</summary>
    private sealed class OpenDay(int capacity)
    {
        public long[] Users = new long[capacity];
        public long[] Items = new long[capacity];
        public int[] Types = new int[capacity];
        public long[] Times = new long[capacity];
        public float[] Weights = new float[capacity];
        public bool[] Positives = new bool[capacity];

        public int Count { get; set; }

        public long LastUse { get; set; }

        public FileStream? Stream { get; set; }

        public ParquetWriter? Writer { get; set; }

        public void Add(Interaction e, int limit)
        {
            if (Count == Users.Length)
            {
                var size = Math.Min(limit, Users.Length * 2);
                Array.Resize(ref Users, size);
                Array.Resize(ref Items, size);
                Array.Resize(ref Types, size);
                Array.Resize(ref Times, size);
                Array.Resize(ref Weights, size);
                Array.Resize(ref Positives, size);
            }

            Users[Count] = e.UserId;
            Items[Count] = e.ItemId;
            Types[Count] = (int)e.Type;
            Times[Count] = e.Timestamp;
            Weights[Count] = e.Weight;
            Positives[Count] = e.IsPositive;
            Count++;
        }

        public async ValueTask DisposeWriterAsync()
        {
            if (Writer is not null)
            {
                await Writer.DisposeAsync().ConfigureAwait(false);
                Writer = null;
            }

            if (Stream is not null)
            {
                await Stream.DisposeAsync().ConfigureAwait(false);
                Stream = null;
            }
        }
    }
}

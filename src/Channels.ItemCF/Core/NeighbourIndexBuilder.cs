namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Runs a <see cref="IRowKernel"/> over every row in parallel and keeps each row's top-K columns (self excluded),
/// best first. Rows go to workers in chunks; each chunk's results land in one pair of arrays (no per-row objects,
/// so the garbage collector has little to trace), and the chunks, being in row order, concatenate into the final
/// CSR arrays. Memory: one <see cref="RowScratch"/> (two dense arrays of the column count) per worker thread plus
/// the result (at most K entries per row, held twice during the final copy).
/// </summary>
internal static class NeighbourIndexBuilder
{
    private const int ChunkRows = 512;

    /// <summary>
    /// Computes the top-<paramref name="k"/> neighbour index; <paramref name="label"/> names the index in errors (progress
    /// statuses leave naming the build to whoever shows them).
    /// </summary>
    public static CsrMatrix Build<TKernel>(TKernel kernel, long[] ids, int k, bool normalizeRows, int threads, IProgress<BuildProgress>? progress, string label, CancellationToken cancellationToken)
        where TKernel : IRowKernel
    {
        var rows = ids.Length;
        var counts = new int[rows];
        var chunks = (rows + ChunkRows - 1) / ChunkRows;
        var chunkColumns = new int[chunks][];
        var chunkValues = new float[chunks][];
        var done = 0;
        var lastReported = -1;
        var gate = new object();
        using var scratches = new ThreadLocal<RowScratch>(() => new RowScratch(rows, k));
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, chunk =>
        {
            var scratch = scratches.Value!;
            var start = chunk * ChunkRows;
            var end = Math.Min(rows, start + ChunkRows);
            var outColumns = scratch.ChunkColumns(ChunkRows * k);
            var outValues = scratch.ChunkValues(ChunkRows * k);
            var written = 0;
            for (var row = start; row < end; row++)
            {
                kernel.Accumulate(row, scratch);
                var heap = scratch.Heap;
                heap.Reset(k);
                for (var t = 0; t < scratch.TouchedCount; t++)
                {
                    var column = scratch.Touched[t];
                    if (column != row)
                    {
                        var sim = kernel.Finish(row, column, scratch.Scores[column]);
                        if (sim > 0)
                        {
                            heap.Offer(column, sim);
                        }
                    }
                }

                scratch.Clear();
                var n = heap.Drain(outColumns.AsSpan(written), outValues.AsSpan(written));
                if (normalizeRows && n > 0)
                {
                    var max = outValues[written];
                    for (var j = written; j < written + n; j++)
                    {
                        outValues[j] /= max;
                    }
                }

                counts[row] = n;
                written += n;
            }

            chunkColumns[chunk] = outColumns.AsSpan(0, written).ToArray();
            chunkValues[chunk] = outValues.AsSpan(0, written).ToArray();
            var finished = Interlocked.Add(ref done, end - start);
            if (progress is not null)
            {
                var percent = (int)(100L * finished / rows);
                lock (gate)
                {
                    if (percent > lastReported)
                    {
                        lastReported = percent;
                        progress.Report(new BuildProgress(finished / (double)rows, FormattableString.Invariant($"similarity: {finished:N0}/{rows:N0} rows")));
                    }
                }
            }
        });

        var offsets = new int[rows + 1];
        long total = 0;
        for (var r = 0; r < rows; r++)
        {
            total += counts[r];
            if (total > int.MaxValue)
            {
                throw new RecFrameworkException(RecError.InvalidArgument, $"The {label} index would hold {total} entries, more than {int.MaxValue}; lower Neighbours (now {k}).");
            }

            offsets[r + 1] = (int)total;
        }

        var columns = new int[total];
        var values = new float[total];
        var at = 0;
        for (var c = 0; c < chunks; c++)
        {
            chunkColumns[c].CopyTo(columns, at);
            chunkValues[c].CopyTo(values, at);
            at += chunkColumns[c].Length;
            chunkColumns[c] = null!;
            chunkValues[c] = null!;
        }

        return new CsrMatrix(ids, ids, offsets, columns, values, label);
    }
}

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Runs a <see cref="IRowKernel"/> over every row in parallel and keeps each row's top-K columns (self excluded),
/// best first. Memory: one <see cref="RowScratch"/> (two dense arrays of the column count) per worker plus the
/// result (at most K entries per row). Rows go to workers in chunks so progress can be reported as they finish.
/// </summary>
internal static class NeighbourIndexBuilder
{
    private const int ChunkRows = 256;

    /// <summary>Computes the top-<paramref name="k"/> neighbour index.</summary>
    public static CsrMatrix Build<TKernel>(TKernel kernel, long[] ids, int k, bool normalizeRows, int threads, IProgress<BuildProgress>? progress, string label, CancellationToken cancellationToken)
        where TKernel : IRowKernel
    {
        var rows = ids.Length;
        var rowColumns = new int[]?[rows];
        var rowValues = new float[]?[rows];
        var chunks = (rows + ChunkRows - 1) / ChunkRows;
        var done = 0;
        var lastReported = -1;
        var gate = new object();
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            () => new RowScratch(rows, k),
            (chunk, _, scratch) =>
            {
                var end = Math.Min(rows, (chunk + 1) * ChunkRows);
                for (var row = chunk * ChunkRows; row < end; row++)
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
                    if (heap.Count > 0)
                    {
                        var columns = new int[heap.Count];
                        var values = new float[heap.Count];
                        heap.Drain(columns, values);
                        if (normalizeRows)
                        {
                            var max = values[0];
                            for (var j = 0; j < values.Length; j++)
                            {
                                values[j] /= max;
                            }
                        }

                        rowColumns[row] = columns;
                        rowValues[row] = values;
                    }
                }

                var finished = Interlocked.Add(ref done, end - chunk * ChunkRows);
                if (progress is not null)
                {
                    var percent = (int)(100L * finished / rows);
                    lock (gate)
                    {
                        if (percent > lastReported)
                        {
                            lastReported = percent;
                            progress.Report(new BuildProgress(finished / (double)rows, $"{label}: {finished}/{rows} rows"));
                        }
                    }
                }

                return scratch;
            },
            _ => { });
        return CsrMatrix.FromRows(ids, ids, rowColumns, rowValues);
    }
}

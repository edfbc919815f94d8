using System.Diagnostics;
using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Trains a <see cref="TwoTowerModel"/> on a <see cref="TrainingSet"/>: seeded, shuffled (or time-ordered)
/// mini-batches, one dispose scope per batch, Adam for the MLPs and either Adam or sparse Adagrad for the embedding
/// tables, exponential learning-rate decay per epoch, early stopping on validation Recall@20 with the best epoch's
/// weights restored, optional per-epoch checkpoints.
/// </summary>
internal sealed class Trainer
{
    /// <summary>Cut-off of the validation metric.</summary>
    public const int ValidationK = 20;

    private readonly TwoTowerModel _model;
    private readonly TrainingSet _set;
    private readonly TwoTowerOptions _options;
    private readonly TrainerSettings _settings;

    public Trainer(TwoTowerModel model, TrainingSet set, TwoTowerOptions options, TrainerSettings settings)
    {
        _model = model;
        _set = set;
        _options = options;
        _settings = settings;
    }

    /// <summary>Sets libtorch's thread pools (intra-op to <paramref name="threads"/>, inter-op to 1 once per process).</summary>
    public static void ConfigureThreads(int threads)
    {
        torch.set_num_threads(threads);
        lock (ThreadLock)
        {
            if (!s_interopSet)
            {
                s_interopSet = true;
                try
                {
                    torch.set_num_interop_threads(1);
                }
                catch (System.Runtime.InteropServices.ExternalException)
                {
                    // libtorch allows this only before the first parallel operation; keep its default then.
                }
            }
        }
    }

    private static readonly Lock ThreadLock = new();

    /// <summary>The out-of-vocabulary id slot (kept alive: see <see cref="Losses"/> on temporary scalars).</summary>
    private static readonly Scalar OutOfVocabulary = 0L.ToScalar();
    private static bool s_interopSet;

    public TrainingReport Train()
    {
        var steps = new StepClock();
        ConfigureThreads(_options.Threads);
        torch.manual_seed(_settings.Seed);
        var random = new Random(_settings.Seed);
        var epochs = _settings.Epochs ?? _options.Epochs;
        using var runScope = torch.NewDisposeScope();
        var userTable = TowerInput.From(_set.UserRows);
        var itemTable = TowerInput.From(_set.ItemRows);
        var (optimizers, tables) = CreateOptimizers();
        using var tableOptimizer = tables;
        using var denseOptimizer = optimizers.SingleOrDefault(); // at most one: the dense parameters' Adam
        var negatives = new NegativeSampler(_set, _options, _settings.HardNegatives);
        var frequency = new StreamingFrequencyEstimator(_options.FrequencyHashSlots, _options.FrequencyLearningRate);
        var staticLogQ = StaticLogQ();
        var ssl = _options.SslWeight > 0 && !_settings.IdEmbeddingsOnly ? new SslViews(_set, _model.Item.FieldCount, _options) : null;

        var globalCount = _options.Mode == TrainingMode.InBatchSoftmax ? _options.GlobalNegatives : 0;
        var distinctItems = _options.DeduplicateBatchItems && _options.Mode == TrainingMode.InBatchSoftmax && globalCount == 0 && ssl is null
            ? new DistinctBatchItems(_set.Items.Length)
            : null;
        var globalIndex = new long[globalCount];
        var globalKeys = new long[globalCount];
        var mixedLogQ = new float[globalCount == 0 ? 0 : _options.BatchSize + globalCount];
        var itemTotal = _set.ItemCounts.Sum();
        using var idDropout = _options.IdDropout.ToScalar();
        using var sslWeight = _options.SslWeight.ToScalar();
        var report = new TrainingReport();
        var phases = new PhaseClock();
        long distinctRows = 0, exampleRows = 0;
        var best = double.NegativeInfinity;
        var bestEpoch = 0;
        Dictionary<string, Tensor>? bestState = null;
        var stale = 0;
        long totalExamples = 0;
        var totalSeconds = 0.0;
        var lastLoss = 0.0;
        var lastRecall = double.NaN;
        var epoch = 0;
        steps.Lap("trainer_setup");
        while (epoch < epochs)
        {
            epoch++;
            _model.train();
            steps.Skip();
            var order = EpochOrder(random);
            steps.Lap("epoch_order");
            var watch = Stopwatch.StartNew();
            double lossSum = 0;
            var batches = 0;
            long done = 0;
            for (var start = 0; start < order.Length; start += _options.BatchSize)
            {
                _settings.Cancellation.ThrowIfCancellationRequested();
                var phaseStart = Stopwatch.GetTimestamp();
                var count = Math.Min(_options.BatchSize, order.Length - start);
                if (count < 2)
                {
                    break;
                }

                using var scope = torch.NewDisposeScope();
                var userIndex = new long[count];
                var itemIndex = new long[count];
                var itemKeys = new long[count];
                for (var b = 0; b < count; b++)
                {
                    var e = order[start + b];
                    userIndex[b] = _set.ExampleUsers[e];
                    itemIndex[b] = _set.ExampleItems[e];
                    itemKeys[b] = _set.Items[itemIndex[b]];
                }

                var userInput = userTable.Select(torch.tensor(userIndex));
                if (_options.HistoryLength > 0)
                {
                    userInput = userInput with { History = BatchHistory(userIndex, itemIndex) };
                }

                if (_options.IdDropout > 0 && !_settings.IdEmbeddingsOnly)
                {
                    var drop = torch.rand(count).lt(idDropout);
                    userInput = userInput with { Ids = userInput.Ids.masked_fill(drop, OutOfVocabulary) };
                }

                // Distinct items: the item tower and the logits run once per item of the batch (same loss, see Losses).
                var distinct = distinctItems is not null ? distinctItems.Of(itemIndex) : default;
                if (distinct.Items is not null)
                {
                    distinctRows += distinct.Items.Length;
                    exampleRows += count;
                }

                var itemInput = itemTable.Select(torch.tensor(distinct.Items ?? itemIndex));
                var prepared = Stopwatch.GetTimestamp();
                var users = _model.User.call(userInput);
                var items = _model.Item.call(itemInput);
                var forwarded = Stopwatch.GetTimestamp();
                Tensor loss;
                if (globalCount > 0)
                {
                    negatives.SampleGlobal(globalIndex, random);
                    for (var g = 0; g < globalCount; g++)
                    {
                        globalKeys[g] = _set.Items[globalIndex[g]];
                    }

                    var drawn = _model.Item.call(itemTable.Select(torch.tensor(globalIndex)));
                    Tensor? logQ = null;
                    if (_options.LogQCorrection)
                    {
                        var streaming = _options.FrequencyEstimate == FrequencyEstimate.Streaming;
                        if (streaming)
                        {
                            frequency.Update(itemKeys);
                        }

                        // Expected count of item j among the B batch items and the G draws: B·p_j + G·q_j.
                        double ExpectedCount(long key, long position) => (count * (streaming ? frequency.Probability(key) : Math.Max(_set.ItemCounts[position], 0.5) / itemTotal))
                            + (globalCount * negatives.Probability(position));
                        for (var b = 0; b < count; b++)
                        {
                            mixedLogQ[b] = (float)Math.Log(ExpectedCount(itemKeys[b], itemIndex[b]));
                        }

                        for (var g = 0; g < globalCount; g++)
                        {
                            mixedLogQ[count + g] = (float)Math.Log(ExpectedCount(globalKeys[g], globalIndex[g]));
                        }

                        logQ = torch.tensor(mixedLogQ.AsSpan(0, count + globalCount).ToArray());
                    }

                    loss = Losses.MixedSoftmax(users, items, drawn, logQ, torch.tensor(itemKeys), torch.tensor(globalKeys), _options.Temperature);
                }
                else if (_options.Mode == TrainingMode.InBatchSoftmax)
                {
                    Tensor? logQ = null;
                    if (_options.LogQCorrection)
                    {
                        if (_options.FrequencyEstimate == FrequencyEstimate.Streaming)
                        {
                            frequency.Update(itemKeys);
                            var q = new float[count];
                            for (var b = 0; b < count; b++)
                            {
                                q[b] = (float)Math.Log(frequency.Probability(itemKeys[b]));
                            }

                            logQ = torch.tensor(q);
                        }
                        else
                        {
                            logQ = staticLogQ!.index_select(0, torch.tensor(distinct.Items ?? itemIndex));
                        }
                    }

                    if (distinct.Items is not null && logQ is not null && _options.FrequencyEstimate == FrequencyEstimate.Streaming)
                    {
                        logQ = logQ.index_select(0, torch.tensor(distinct.FirstExample!)); // the same value for each copy of an item
                    }

                    loss = distinct.Items is null
                        ? Losses.InBatchSoftmax(users, items, logQ, torch.tensor(itemKeys), _options.Temperature)
                        : Losses.InBatchSoftmaxDistinct(users, items, logQ, torch.tensor(distinct.Targets!), torch.tensor(distinct.LogCounts!), _options.Temperature);
                }
                else
                {
                    var n = _options.Negatives;
                    var negativeIndex = negatives.Sample(userIndex, itemIndex, n, random);
                    var negativeItems = _model.Item.call(itemTable.Select(torch.tensor(negativeIndex))).reshape(count, n, -1);
                    var positive = (users * items).sum(1);
                    var negative = (users.unsqueeze(1) * negativeItems).sum(2);
                    loss = _options.Mode switch
                    {
                        TrainingMode.Pointwise => Losses.Pointwise(positive, negative, _options.Temperature),
                        TrainingMode.PairwiseHinge => Losses.TripletHinge(positive, negative, _options.Margin),
                        TrainingMode.PairwiseLogistic => Losses.TripletLogistic(positive, negative, _options.Sigma),
                        _ => _options.LogQCorrection
                            ? Losses.Listwise(positive, negative, _options.Temperature, negatives.LogQ(itemIndex), negatives.LogQ(negativeIndex).reshape(count, n))
                            : Losses.Listwise(positive, negative, _options.Temperature),
                    };
                }

                if (ssl is not null)
                {
                    var (first, second) = ssl.Views(itemInput, random);
                    var a = _model.Item.Forward(first.Input, first.Mask);
                    var c = _model.Item.Forward(second.Input, second.Mask);
                    loss = loss.add(Losses.InBatchSoftmax(a, c, null, torch.tensor(itemKeys), _options.Temperature).mul(sslWeight));
                }

                var lossed = Stopwatch.GetTimestamp();
                foreach (var optimizer in optimizers)
                {
                    optimizer.ZeroGrad();
                }

                tables?.ZeroGrad();
                loss.backward();
                var backwarded = Stopwatch.GetTimestamp();
                foreach (var optimizer in optimizers)
                {
                    optimizer.Step();
                }

                tables?.Step();
                var stepped = Stopwatch.GetTimestamp();
                phases.Add(phaseStart, prepared, forwarded, lossed, backwarded, stepped);

                lossSum += loss.item<float>();
                batches++;
                done += count;
                if (_settings.Progress is not null && (batches % 20 == 0))
                {
                    var fraction = ((epoch - 1) + ((double)(start + count) / order.Length)) / epochs;
                    _settings.Progress(new TrainingStatus(epoch, epochs, fraction, lossSum / batches, done / watch.Elapsed.TotalSeconds, lastRecall));
                }
            }

            watch.Stop();
            phases.AddEpoch(watch.Elapsed);
            steps.Skip();
            totalExamples += done;
            totalSeconds += watch.Elapsed.TotalSeconds;
            lastLoss = batches == 0 ? 0 : lossSum / batches;
            report.EpochLosses.Add(lastLoss);
            foreach (var optimizer in optimizers)
            {
                optimizer.LearningRate *= _options.LearningRateDecay; // exponential decay per epoch
            }

            if (tables is not null)
            {
                tables.LearningRate *= _options.LearningRateDecay;
            }

            if (_settings.CheckpointDirectory is not null)
            {
                Directory.CreateDirectory(_settings.CheckpointDirectory);
                _model.save(Path.Combine(_settings.CheckpointDirectory, $"epoch-{epoch:D3}.bin"));
            }

            lastRecall = _set.Validation.Count > 0 ? ValidationRecall(userTable, itemTable) : double.NaN;
            report.EpochValidationRecall.Add(lastRecall);
            steps.Lap("between_epochs");
            _settings.Progress?.Invoke(new TrainingStatus(epoch, epochs, (double)epoch / epochs, lastLoss, done / Math.Max(1e-9, watch.Elapsed.TotalSeconds), lastRecall));
            if (double.IsNaN(lastRecall))
            {
                bestEpoch = epoch;
                continue;
            }

            if (lastRecall > best)
            {
                best = lastRecall;
                bestEpoch = epoch;
                stale = 0;
                bestState?.Values.ToList().ForEach(t => t.Dispose());
                bestState = _model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
            }
            else if (_options.Patience > 0 && ++stale >= _options.Patience)
            {
                break;
            }
        }

        steps.Skip();
        if (bestState is not null && bestEpoch != epoch)
        {
            _model.load_state_dict(bestState);
        }

        bestState?.Values.ToList().ForEach(t => t.Dispose());
        steps.Lap("restore_best");
        return report with
        {
            EpochsRun = epoch,
            BestEpoch = bestEpoch,
            BestValidationRecall = double.IsNegativeInfinity(best) ? double.NaN : best,
            FinalLoss = lastLoss,
            Examples = totalExamples,
            ExamplesPerSecond = totalExamples / Math.Max(1e-9, totalSeconds),
            SecondsPerEpoch = totalSeconds / Math.Max(1, epoch),
            PhaseSeconds = phases.Seconds(),
            PreparationSeconds = steps.Seconds(),
            DistinctItemShare = exampleRows == 0 ? double.NaN : (double)distinctRows / exampleRows,
        };
    }

    /// <summary>
    /// Adam for the dense parameters (MLPs, SENet; also the tables unless SparseEmbeddings) and, with
    /// SparseEmbeddings, <see cref="SparseAdagrad"/> for the embedding tables. Incremental updates train only the
    /// id tables and freeze everything else.
    /// </summary>
    private (List<DenseAdam> Dense, SparseAdagrad? Tables) CreateOptimizers()
    {
        var dense = new List<DenseAdam>();
        if (_settings.IdEmbeddingsOnly)
        {
            var idTables = new[] { _model.User.IdTable, _model.Item.IdTable }.Where(t => t is not null).Select(t => t!.weight!).ToList();
            if (idTables.Count == 0)
            {
                throw new RecFrameworkException(RecError.InvalidConfiguration, "Incremental updates train the id embeddings, but UseIds is false.");
            }

            foreach (var p in _model.parameters())
            {
                p.requires_grad = false;
            }

            foreach (var p in idTables)
            {
                p.requires_grad = true;
            }

            if (_options.SparseEmbeddings)
            {
                return (dense, new SparseAdagrad(idTables, _options.SparseLearningRate));
            }

            dense.Add(new DenseAdam(idTables, _options.LearningRate));
            return (dense, null);
        }

        foreach (var p in _model.parameters())
        {
            p.requires_grad = true;
        }

        if (!_options.SparseEmbeddings)
        {
            dense.Add(new DenseAdam(_model.parameters(), _options.LearningRate));
            return (dense, null);
        }

        // Materialised once: the optimiser keeps its state per parameter object.
        dense.Add(new DenseAdam(_model.User.DenseParameters().Concat(_model.Item.DenseParameters()), _options.LearningRate));
        return (dense, new SparseAdagrad(_model.User.TableParameters().Concat(_model.Item.TableParameters()), _options.SparseLearningRate));
    }

    /// <summary>[count, HistoryLength] history slots of each example: the user's latest train items without the target.</summary>
    private Tensor BatchHistory(long[] userIndex, long[] itemIndex)
    {
        var length = _options.HistoryLength;
        var slots = new long[userIndex.Length * length];
        for (var b = 0; b < userIndex.Length; b++)
        {
            HistorySlots.FillFromPositions(slots.AsSpan(b * length, length), _set.SeenByUser[userIndex[b]], _set.ItemRows.Ids, (int)itemIndex[b]);
        }

        return torch.tensor(slots, dtype: ScalarType.Int64).reshape(userIndex.Length, length);
    }

    /// <summary>One epoch's example order: hot items' positives down-sampled (HotItemThreshold), shuffled unless time-ordered.</summary>
    internal int[] EpochOrder(Random random)
    {
        var n = _set.ExampleUsers.Length;
        IEnumerable<int> order = Enumerable.Range(0, n);
        if (_options.HotItemThreshold > 0)
        {
            var total = _set.ItemCounts.Sum();
            var t = _options.HotItemThreshold;
            order = order.Where(e =>
            {
                var f = _set.ItemCounts[_set.ExampleItems[e]] / total;
                var keep = Math.Min(1, Math.Sqrt(t / f) + (t / f));
                return random.NextDouble() < keep;
            });
        }

        var result = order.ToArray();
        if (!_settings.TimeOrdered)
        {
            random.Shuffle(result);
        }

        return result;
    }

    private Tensor? StaticLogQ()
    {
        if (_options.Mode != TrainingMode.InBatchSoftmax || !_options.LogQCorrection || _options.FrequencyEstimate != FrequencyEstimate.Static)
        {
            return null;
        }

        var total = _set.ItemCounts.Sum();
        return torch.tensor(_set.ItemCounts.Select(c => (float)Math.Log(Math.Max(c, 0.5) / total)).ToArray());
    }

    private double ValidationRecall(TowerInput userTable, TowerInput itemTable)
    {
        _model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var itemVectors = TowerInference.Vectors(_model.Item, itemTable);
        var users = _set.Validation.Keys.Order().ToArray();
        double sum = 0;
        // Users per chunk so that a chunk's score matrix stays around 64M floats (256 MB) whatever the catalogue size.
        var chunkSize = (int)Math.Clamp((1L << 26) / Math.Max(1, itemVectors.shape[0]), 1, 512);
        for (var start = 0; start < users.Length; start += chunkSize)
        {
            using var chunkScope = torch.NewDisposeScope();
            var chunk = users.AsSpan(start, Math.Min(chunkSize, users.Length - start)).ToArray();
            var userVectors = _model.User.call(userTable.Select(torch.tensor(chunk.Select(u => (long)u).ToArray())));
            var maxSeen = chunk.Max(u => _set.SeenByUser[u].Length);
            var k = (int)Math.Min(itemVectors.shape[0], ValidationK + maxSeen);
            var top = userVectors.matmul(itemVectors.t()).topk(k, dim: 1).indexes.data<long>().ToArray();
            for (var r = 0; r < chunk.Length; r++)
            {
                var seen = _set.SeenByUser[chunk[r]].ToHashSet();
                var truth = _set.Validation[chunk[r]].ToHashSet();
                var hits = 0;
                var taken = 0;
                for (var j = 0; j < k && taken < ValidationK; j++)
                {
                    var item = (int)top[(r * k) + j];
                    if (seen.Contains(item))
                    {
                        continue;
                    }

                    taken++;
                    if (truth.Contains(item))
                    {
                        hits++;
                    }
                }

                sum += (double)hits / truth.Count;
            }
        }

        _model.train();
        return sum / users.Length;
    }
}

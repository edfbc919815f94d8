using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace RecFramework.Channels.TwoTower.Model;

/// <summary>
/// One tower: id embedding + mean-pooled recent-history item embeddings (user tower, optional) + categorical
/// embeddings + mean-pooled multi-valued embeddings (+ optional SENet field re-weighting) + continuous values →
/// concat → MLP → L2-normalised vector.
/// </summary>
internal sealed class Tower : Module<TowerInput, Tensor>
{
    // Scalars handed to libtorch live as long as the process (see Losses: a temporary one can be finalised mid-call).
    private static readonly Scalar ZeroId = 0L.ToScalar();
    private static readonly Scalar OneCount = 1.0.ToScalar();

#pragma warning disable IDE1006 // field names are the state-dict keys
    private readonly Embedding? ids;
    private readonly Embedding? history;
    private readonly Embedding? categorical;
    private readonly Embedding? multi;
    private readonly Linear? se_squeeze;
    private readonly Linear? se_excite;
    private readonly Sequential mlp;
#pragma warning restore IDE1006
    private readonly int _fields;

    public Tower(string name, TowerShape shape, TwoTowerOptions options)
        : base(name)
    {
        var sparse = options.SparseEmbeddings;
        var width = 0;
        if (options.UseIds)
        {
            ids = Embedding(shape.IdSlots, options.IdEmbeddingDimension, sparse: sparse);
            init.normal_(ids.weight!, 0, 0.05);
            width += options.IdEmbeddingDimension;
            _fields++;
        }

        if (shape.HistorySlots > 0)
        {
            history = Embedding(shape.HistorySlots, options.IdEmbeddingDimension, padding_idx: 0, sparse: sparse);
            using (no_grad())
            {
                init.normal_(history.weight!, 0, 0.05);
                history.weight![0].zero_();
            }

            width += options.IdEmbeddingDimension;
            _fields++;
        }

        var d = options.FeatureEmbeddingDimension;
        if (shape.CategoricalFields > 0)
        {
            categorical = Embedding(shape.CategoricalSlots, d, sparse: sparse);
            init.normal_(categorical.weight!, 0, 0.05);
            width += shape.CategoricalFields * d;
            _fields += shape.CategoricalFields;
        }

        if (shape.MultiFields > 0)
        {
            multi = Embedding(shape.MultiSlots, d, padding_idx: 0, sparse: sparse);
            using (no_grad())
            {
                init.normal_(multi.weight!, 0, 0.05);
                multi.weight![0].zero_();
            }

            width += shape.MultiFields * d;
            _fields += shape.MultiFields;
        }

        width += shape.ContinuousFields;
        if (width == 0)
        {
            throw new RecFrameworkException(RecError.InvalidConfiguration, $"Tower '{name}' has no input: enable UseIds or give the profile schema some features.");
        }

        if (options.SeNet && _fields > 1)
        {
            var reduced = Math.Max(1, _fields / 2);
            se_squeeze = Linear(_fields, reduced);
            se_excite = Linear(reduced, _fields);
        }

        var layers = new List<Module<Tensor, Tensor>>();
        var input = width;
        foreach (var hidden in options.HiddenWidths())
        {
            layers.Add(Linear(input, hidden));
            layers.Add(options.Activation switch
            {
                Activation.Gelu => GELU(),
                Activation.Tanh => Tanh(),
                _ => ReLU(),
            });
            if (options.Dropout > 0)
            {
                layers.Add(Dropout(options.Dropout));
            }

            input = hidden;
        }

        layers.Add(Linear(input, options.Dimension));
        mlp = Sequential(layers);
        RegisterComponents();
    }

    /// <summary>Embedding tables (sparse-gradient parameters when SparseEmbeddings is on).</summary>
    public IEnumerable<Parameter> TableParameters()
    {
        foreach (var table in new[] { ids, history, categorical, multi })
        {
            if (table is not null)
            {
                yield return table.weight!;
            }
        }
    }

    /// <summary>Parameters outside the embedding tables (MLP, SENet).</summary>
    public IEnumerable<Parameter> DenseParameters()
    {
        // Selected by state-dict name: TorchSharp hands out a new wrapper (and native handle) on every access.
        string[] tables = ["ids.weight", "history.weight", "categorical.weight", "multi.weight"];
        return named_parameters().Where(np => !tables.Contains(np.name)).Select(np => np.parameter);
    }

    /// <summary>
    /// The eval-mode forward pass in managed code for one row at a time (<see cref="ManagedTower"/>), reading this
    /// tower's embedding tables in place. Weights are read now: later changes to this tower do not reach it.
    /// </summary>
    /// <param name="activation">The MLP's activation (<see cref="TwoTowerOptions.Activation"/>).</param>
    public ManagedTower ToManaged(Activation activation)
    {
        var layers = mlp.children().OfType<Linear>().Select(ManagedTower.DenseOf).ToArray();
        var tables = new List<ManagedTower.Table>();
        try
        {
            ManagedTower.Table? Table(Embedding? embedding)
            {
                if (embedding is null)
                {
                    return null;
                }

                var table = new ManagedTower.Table(embedding.weight!);
                tables.Add(table);
                return table;
            }

            return new ManagedTower(
                Table(ids),
                Table(history),
                Table(categorical),
                Table(multi),
                se_squeeze is null ? null : ManagedTower.DenseOf(se_squeeze),
                se_excite is null ? null : ManagedTower.DenseOf(se_excite),
                layers,
                activation);
        }
        catch
        {
            tables.ForEach(t => t.Dispose());
            throw;
        }
    }

    /// <summary>The id table, when the tower has one.</summary>
    public Embedding? IdTable => ids;

    /// <summary>The recent-history item table, when the tower reads history.</summary>
    public Embedding? HistoryTable => history;

    /// <inheritdoc />
    /// <param name="input">Encoded batch.</param>
    /// <returns>[batch, Dimension] float32, unit rows.</returns>
    public override Tensor forward(TowerInput input) => functional.normalize(Features(input, null), p: 2, dim: 1);

    /// <summary>Forward with an optional field keep-mask (the self-supervised views).</summary>
    /// <param name="input">Encoded batch.</param>
    /// <param name="fieldMask">[batch, fields] float32 of 0/1, or null.</param>
    public Tensor Forward(TowerInput input, Tensor? fieldMask) => functional.normalize(Features(input, fieldMask), p: 2, dim: 1);

    /// <summary>Number of embedded fields (id + categorical + multi-valued), the width of a field mask.</summary>
    public int FieldCount => _fields;

    /// <summary>SENet field weights in (0, 2) of a batch ([batch, fields]), or null without SENet.</summary>
    public Tensor? FieldWeights(TowerInput input)
    {
        var batch = input.Ids.shape[0];
        var id = ids is not null ? ids.call(input.Ids).unsqueeze(1) : null;
        Tensor? recent = null;
        if (history is not null)
        {
            recent = input.History is null ? zeros(batch, history.weight!.shape[1])
                : history.call(input.History).sum(1) / input.History.gt(ZeroId).sum(1, keepdim: true, type: ScalarType.Float32).clamp_min(OneCount);
        }

        var cat = categorical is not null && input.Categorical is not null ? categorical.call(input.Categorical) : null;
        var bag = multi is not null && input.Multi is not null
            ? multi.call(input.Multi).sum(2) / input.Multi.gt(ZeroId).sum(2, keepdim: true, type: ScalarType.Float32).clamp_min(OneCount)
            : null;
        return Excitation(id, recent, cat, bag);
    }

    /// <summary>Squeeze (mean of each field's embedding) → FC → ReLU → FC → 2·sigmoid: one weight per field.</summary>
    private Tensor? Excitation(Tensor? id, Tensor? recent, Tensor? cat, Tensor? bag)
    {
        if (se_squeeze is null || se_excite is null)
        {
            return null;
        }

        var squeezed = new List<Tensor>();
        if (id is not null)
        {
            squeezed.Add(id.mean([2]));
        }

        if (recent is not null)
        {
            squeezed.Add(recent.mean([1], keepdim: true));
        }

        if (cat is not null)
        {
            squeezed.Add(cat.mean([2]));
        }

        if (bag is not null)
        {
            squeezed.Add(bag.mean([2]));
        }

        var z = torch.cat(squeezed, 1);
        return functional.sigmoid(se_excite.call(functional.relu(se_squeeze.call(z)))) * 2;
    }

    private Tensor Features(TowerInput input, Tensor? fieldMask)
    {
        var fields = new List<Tensor>();
        var batch = input.Ids.shape[0];
        if (ids is not null)
        {
            fields.Add(ids.call(input.Ids).unsqueeze(1));
        }

        Tensor? recent = null;
        if (history is not null)
        {
            if (input.History is null)
            {
                recent = zeros(batch, history.weight!.shape[1]);
            }
            else
            {
                var count = input.History.gt(ZeroId).sum(1, keepdim: true, type: ScalarType.Float32).clamp_min(OneCount);
                recent = history.call(input.History).sum(1) / count;
            }
        }

        Tensor? cat = categorical is not null && input.Categorical is not null ? categorical.call(input.Categorical) : null;
        Tensor? bag = null;
        if (multi is not null && input.Multi is not null)
        {
            var e = multi.call(input.Multi);
            var count = input.Multi.gt(ZeroId).sum(2, keepdim: true, type: ScalarType.Float32).clamp_min(OneCount);
            bag = e.sum(2) / count;
        }

        // Per-field weights: SENet excitation and/or the SSL keep-mask.
        Tensor? weights = fieldMask;
        var excite = Excitation(fields.Count > 0 ? fields[0] : null, recent, cat, bag);
        if (excite is not null)
        {
            weights = weights is null ? excite : weights * excite;
        }

        var parts = new List<Tensor>();
        var column = 0;
        if (ids is not null)
        {
            var e = fields[0].squeeze(1);
            parts.Add(weights is null ? e : e * weights[.., column..(column + 1)]);
            column++;
        }

        if (recent is not null)
        {
            parts.Add(weights is null ? recent : recent * weights[.., column..(column + 1)]);
            column++;
        }

        if (cat is not null)
        {
            var n = (int)cat.shape[1];
            parts.Add((weights is null ? cat : cat * weights[.., column..(column + n)].unsqueeze(2)).reshape(batch, -1));
            column += n;
        }

        if (bag is not null)
        {
            var n = (int)bag.shape[1];
            parts.Add((weights is null ? bag : bag * weights[.., column..(column + n)].unsqueeze(2)).reshape(batch, -1));
        }

        if (input.Continuous is not null)
        {
            parts.Add(input.Continuous);
        }

        return mlp.call(parts.Count == 1 ? parts[0] : torch.cat(parts, 1));
    }
}

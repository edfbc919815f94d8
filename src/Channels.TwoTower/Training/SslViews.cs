using RecFramework.Channels.TwoTower.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Two random views of a batch of items for the self-supervised item-tower task (Yao et al. 2021): field masks
/// (random mask, complementary split, correlated-feature mask) or dropout of multi-valued feature values.
/// </summary>
internal sealed class SslViews
{
    private readonly int _fields;
    private readonly TwoTowerOptions _options;
    private readonly int[][] _correlatedOrder;

    public SslViews(TrainingSet set, int fields, TwoTowerOptions options)
    {
        _fields = fields;
        _options = options;
        _correlatedOrder = options.SslAugmentation == SslAugmentation.CorrelatedMask ? CorrelationOrder(set, fields, options.UseIds) : [];
    }

    /// <summary>A view: the (possibly altered) input and a [B, fields] keep-mask, or null.</summary>
    public readonly record struct View(TowerInput Input, Tensor? Mask);

    public (View First, View Second) Views(TowerInput input, Random random)
    {
        var batch = (int)input.Ids.shape[0];
        switch (_options.SslAugmentation)
        {
            case SslAugmentation.MultiValueDropout:
                return (new View(DropValues(input), null), new View(DropValues(input), null));
            case SslAugmentation.RandomMask:
                {
                    var keep = 1 - _options.SslMaskProbability;
                    var a = torch.rand(batch, _fields).lt(keep).to_type(ScalarType.Float32);
                    var b = torch.rand(batch, _fields).lt(keep).to_type(ScalarType.Float32);
                    return (new View(input, a), new View(input, b));
                }

            default:
                {
                    var first = new float[batch * _fields];
                    for (var r = 0; r < batch; r++)
                    {
                        var masked = _options.SslAugmentation == SslAugmentation.ComplementarySplit
                            ? Enumerable.Range(0, _fields).OrderBy(_ => random.Next()).Take(_fields / 2)
                            : _correlatedOrder[random.Next(_fields)].Take(Math.Max(1, _fields / 2));
                        for (var f = 0; f < _fields; f++)
                        {
                            first[(r * _fields) + f] = 1;
                        }

                        foreach (var f in masked)
                        {
                            first[(r * _fields) + f] = 0;
                        }
                    }

                    var mask = torch.tensor(first).reshape(batch, _fields);
                    return (new View(input, mask), new View(input, 1 - mask));
                }
        }
    }

    private TowerInput DropValues(TowerInput input)
    {
        if (input.Multi is null)
        {
            return input;
        }

        var keep = torch.rand(input.Multi.shape).ge(_options.SslMaskProbability);
        return input with { Multi = input.Multi * keep.to_type(ScalarType.Int64) };
    }

    /// <summary>For each seed field: the seed first, then the other fields by decreasing mutual information with it.</summary>
    private static int[][] CorrelationOrder(TrainingSet set, int fields, bool useIds)
    {
        var rows = set.ItemRows;
        var columns = new List<long[]>();
        if (useIds)
        {
            columns.Add(rows.Ids);
        }

        for (var f = 0; f < rows.CategoricalFields; f++)
        {
            columns.Add(Enumerable.Range(0, rows.Count).Select(r => rows.Categorical[(r * rows.CategoricalFields) + f]).ToArray());
        }

        for (var f = 0; f < rows.MultiFields; f++)
        {
            columns.Add(Enumerable.Range(0, rows.Count).Select(r => rows.Multi[((r * rows.MultiFields) + f) * rows.MultiLength]).ToArray());
        }

        var order = new int[fields][];
        for (var s = 0; s < fields; s++)
        {
            var seed = s;
            order[s] = Enumerable.Range(0, fields)
                .OrderByDescending(f => f == seed ? double.PositiveInfinity : (useIds && (f == 0 || seed == 0) ? 0 : MutualInformation(columns[seed], columns[f])))
                .ThenBy(f => f)
                .ToArray();
        }

        return order;
    }

    private static double MutualInformation(long[] x, long[] y)
    {
        var n = (double)x.Length;
        var joint = new Dictionary<(long, long), int>();
        var px = new Dictionary<long, int>();
        var py = new Dictionary<long, int>();
        for (var i = 0; i < x.Length; i++)
        {
            joint[(x[i], y[i])] = joint.GetValueOrDefault((x[i], y[i])) + 1;
            px[x[i]] = px.GetValueOrDefault(x[i]) + 1;
            py[y[i]] = py.GetValueOrDefault(y[i]) + 1;
        }

        var mi = 0.0;
        foreach (var ((a, b), c) in joint)
        {
            mi += c / n * Math.Log(c * n / ((double)px[a] * py[b]));
        }

        return mi;
    }
}

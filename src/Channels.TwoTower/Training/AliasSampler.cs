namespace RecFramework.Channels.TwoTower.Training;

/// <summary>Walker/Vose alias table: O(1) draws from a fixed discrete distribution.</summary>
internal sealed class AliasSampler
{
    private readonly double[] _probability;
    private readonly int[] _alias;

    /// <summary>Builds the table from non-negative weights (at least one positive).</summary>
    public AliasSampler(ReadOnlySpan<double> weights)
    {
        var n = weights.Length;
        if (n == 0)
        {
            throw new ArgumentException("No weights.", nameof(weights));
        }

        double total = 0;
        foreach (var w in weights)
        {
            if (w < 0 || double.IsNaN(w) || double.IsInfinity(w))
            {
                throw new ArgumentException($"Weights must be finite and non-negative; got {w}.", nameof(weights));
            }

            total += w;
        }

        if (total <= 0)
        {
            throw new ArgumentException("Weights sum to zero.", nameof(weights));
        }

        _probability = new double[n];
        _alias = new int[n];
        Probabilities = new double[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            Probabilities[i] = weights[i] / total;
            scaled[i] = Probabilities[i] * n;
            (scaled[i] < 1 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            var s = small.Pop();
            var l = large.Pop();
            _probability[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }

        while (large.Count > 0)
        {
            _probability[large.Pop()] = 1;
        }

        while (small.Count > 0)
        {
            _probability[small.Pop()] = 1;
        }
    }

    /// <summary>Normalised probability of each outcome.</summary>
    public double[] Probabilities { get; }

    /// <summary>Number of outcomes.</summary>
    public int Count => _probability.Length;

    /// <summary>One draw.</summary>
    public int Sample(Random random)
    {
        var i = random.Next(_probability.Length);
        return random.NextDouble() < _probability[i] ? i : _alias[i];
    }
}

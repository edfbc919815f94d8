namespace RecFramework.Experiments;

/// <summary>A user's assignment: holdout flag, one <see cref="LayerAssignment"/> per layer and the merged parameters.</summary>
public sealed class ExperimentAssignment
{
    private IReadOnlyDictionary<string, string>? _parameters;
    private string? _tag;
    private Analysis.AssignmentStamp? _stamp;

    private readonly RouterState? _state;

    internal ExperimentAssignment(long userId, bool holdout, int holdoutBucket, string configVersion, LayerAssignment[] layers, RouterState? state = null)
    {
        _state = state;
        UserId = userId;
        Holdout = holdout;
        HoldoutBucket = holdoutBucket;
        ConfigVersion = configVersion;
        Layers = layers;
    }

    /// <summary>The user.</summary>
    public long UserId { get; }

    /// <summary>Whether the user is in the global holdout (no experiment, every layer's baseline).</summary>
    public bool Holdout { get; }

    /// <summary>The user's bucket under the holdout salt; -1 when there is no holdout.</summary>
    public int HoldoutBucket { get; }

    /// <summary>Version stamp of the configuration that produced this assignment.</summary>
    public string ConfigVersion { get; }

    /// <summary>One entry per configured layer, in configuration order.</summary>
    public IReadOnlyList<LayerAssignment> Layers { get; }

    /// <summary>The assignment as it is logged and analysed: holdout flag, configuration version, one stamp per layer.</summary>
    public Analysis.AssignmentStamp Stamp => _stamp ??= new Analysis.AssignmentStamp(Holdout, ConfigVersion, Layers.Select(l => l.Stamp).ToArray());

    /// <summary>
    /// Parameters merged over layers in order (a later layer wins on a shared key); pass them as
    /// <c>RecommendRequest.Parameters</c>. Computed on first use.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters => _parameters ??= Merge();

    /// <summary>
    /// Tag for logs and exposures: "recall:exp-a/treatment@417;rank:default@12;v=3f2a…" ("holdout;…" first for
    /// holdout users). Computed on first use.
    /// </summary>
    public string Tag => _tag ??= BuildTag();

    /// <summary>The layer whose interleaving experiment the user is in (its <see cref="LayerAssignment.Teams"/> are merged), or null.</summary>
    public LayerAssignment? Interleaved
    {
        get
        {
            foreach (var layer in Layers)
            {
                if (layer.Teams.Count > 0)
                {
                    return layer;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The merged parameters a variant of the user's interleaving experiment runs with: as <see cref="Parameters"/>, with
    /// the interleaved layer's parameters replaced by <paramref name="team"/>'s.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="team"/> is not a team of <see cref="Interleaved"/>.</exception>
    public IReadOnlyDictionary<string, string> ParametersFor(InterleavedTeam team)
    {
        ArgumentNullException.ThrowIfNull(team);
        var interleaved = Interleaved;
        if (interleaved is null || !interleaved.Teams.Contains(team))
        {
            throw new ArgumentException($"Variant '{team.Variant}' is not a team of the user's interleaving experiment.", nameof(team));
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in Layers)
        {
            foreach (var (key, value) in ReferenceEquals(layer, interleaved) ? team.Parameters : layer.Parameters)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>The layer assignment named <paramref name="layer"/>, or null.</summary>
    public LayerAssignment? Layer(string layer)
    {
        foreach (var assignment in Layers)
        {
            if (string.Equals(assignment.Layer, layer, StringComparison.Ordinal))
            {
                return assignment;
            }
        }

        return null;
    }

    private IReadOnlyDictionary<string, string> Merge()
    {
        if (Layers.Count == 1)
        {
            return Layers[0].Parameters;
        }

        if (_state?.MergedParameters is { } table)
        {
            var index = 0;
            for (var i = 0; i < Layers.Count; i++)
            {
                index += Layers[i].ParameterSet * _state.Strides[i];
            }

            return table[index];
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in Layers)
        {
            foreach (var (key, value) in layer.Parameters)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    private string BuildTag()
    {
        var offset = Holdout ? 1 : 0;
        var parts = new string[Layers.Count + offset + 1];
        if (Holdout)
        {
            parts[0] = LayerAssignment.HoldoutVariant;
        }

        for (var i = 0; i < Layers.Count; i++)
        {
            parts[i + offset] = Layers[i].Tag;
        }

        parts[^1] = _state?.VersionTag ?? "v=" + ConfigVersion;
        return string.Join(';', parts);
    }
}

namespace RecFramework.Channels.ItemCF;

/// <summary>
/// Turns one interaction into its contribution to <c>like(user, item)</c>: type weight × (event weight when enabled)
/// × time decay. A user's like for an item is the sum over their events with it. Impressions count 0.
/// </summary>
internal sealed class LikeModel
{
    private const double SecondsPerDay = 86_400;
    private readonly float[] _typeWeights;
    private readonly bool _useEventWeight;
    private readonly double _decayPerSecond;

    /// <summary>Creates the model from options.</summary>
    public LikeModel(NeighbourhoodOptions options)
    {
        _typeWeights = new float[Enum.GetValues<InteractionType>().Length];
        _typeWeights[(int)InteractionType.Click] = (float)options.ClickWeight;
        _typeWeights[(int)InteractionType.Like] = (float)options.LikeWeight;
        _typeWeights[(int)InteractionType.Collect] = (float)options.CollectWeight;
        _typeWeights[(int)InteractionType.Share] = (float)options.ShareWeight;
        _typeWeights[(int)InteractionType.Comment] = (float)options.CommentWeight;
        _useEventWeight = options.UseEventWeight;
        _decayPerSecond = options.TimeDecayHalfLifeDays > 0 ? Math.Log(2) / (options.TimeDecayHalfLifeDays * SecondsPerDay) : 0;
    }

    /// <summary>Contribution of <paramref name="e"/> seen from <paramref name="referenceTime"/> (unix seconds).</summary>
    public float Like(in Interaction e, long referenceTime)
    {
        var type = (int)e.Type;
        if ((uint)type >= (uint)_typeWeights.Length)
        {
            return 0;
        }

        double like = _typeWeights[type];
        if (_useEventWeight)
        {
            like *= e.Weight;
        }

        if (_decayPerSecond > 0 && referenceTime > e.Timestamp)
        {
            like *= Math.Exp(-_decayPerSecond * (referenceTime - e.Timestamp));
        }

        return like > 0 && double.IsFinite(like) ? (float)like : 0;
    }
}

using System.IO.Hashing;
using System.Text.Json.Serialization;

namespace RecFramework.Channels.TwoTower.Features;

/// <summary>The inputs of one tower: its id slot and its encoded profile fields.</summary>
/// <param name="IdVocabularySize">Ids with their own slot (slot = 1 + rank of the id in ascending order; 0 = unknown); 0 when hashed.</param>
/// <param name="IdHashBuckets">Hash buckets of the id slot (slot = 1 + XxHash3(id as 8 little-endian bytes) mod buckets); 0 when not hashed.</param>
/// <param name="IdSlots">Rows of the id embedding table, slot 0 included.</param>
/// <param name="MultiLength">Padded length of each multi-valued field's slot list.</param>
/// <param name="Fields">The encoded profile fields in tower order: categorical (and bucketised continuous), then multi-valued, then normalised continuous.</param>
public sealed record TowerFeatureSchema(int IdVocabularySize, int IdHashBuckets, long IdSlots, int MultiLength, IReadOnlyList<TowerFieldEncoding> Fields)
{
    private long[] _idVocabulary = [];

    /// <summary>The ids that own a slot, ascending (empty when hashed); not serialised (it can be large).</summary>
    [JsonIgnore]
    public IReadOnlyList<long> IdVocabulary => _idVocabulary;

    /// <summary>The id slot the tower gives <paramref name="id"/>: its vocabulary slot (0 when unknown) or its hash bucket.</summary>
    public long IdSlot(long id)
    {
        if (IdHashBuckets > 0)
        {
            return 1 + (long)(XxHash3.HashToUInt64(BitConverter.GetBytes(id)) % (ulong)IdHashBuckets);
        }

        var index = Array.BinarySearch(_idVocabulary, id);
        return index >= 0 ? index + 1 : 0;
    }

    internal static TowerFeatureSchema From(FeatureEncoder encoder)
    {
        var fields = encoder.Categorical.Select(f => TowerFieldEncoding.From(f, f.Bucketized ? TowerFieldEncoding.BucketsEncoding : TowerFieldEncoding.VocabularyEncoding))
            .Concat(encoder.Multi.Select(f => TowerFieldEncoding.From(f, TowerFieldEncoding.VocabularyEncoding)))
            .Concat(encoder.Continuous.Select(f => TowerFieldEncoding.From(f, TowerFieldEncoding.NormalizeEncoding)))
            .ToArray();
        return new TowerFeatureSchema(encoder.IdVocabulary.Length, encoder.IdHashBuckets, encoder.IdSlots, encoder.MultiLength, fields)
        {
            _idVocabulary = encoder.IdVocabulary,
        };
    }
}

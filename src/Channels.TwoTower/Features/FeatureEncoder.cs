using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;

namespace RecFramework.Channels.TwoTower.Features;

/// <summary>
/// Turns ids and <see cref="Profile"/>s of one side (users or items) into tower inputs, generically from a
/// <see cref="FeatureSchema"/>: an id slot (dense vocabulary or hashed; slot 0 = out of vocabulary), categorical and
/// bucketised continuous fields as slots of one shared table, multi-valued fields as padded slot lists, and
/// normalised continuous values.
/// </summary>
internal sealed class FeatureEncoder
{
    private Dictionary<long, long> _idSlots = [];
    private Dictionary<string, long>[] _lookups = [];

    /// <summary>External ids in slot order (slot = index + 1) when not hashed.</summary>
    public long[] IdVocabulary { get; set; } = [];

    /// <summary>Hash buckets (0 when ids have a dense vocabulary).</summary>
    public int IdHashBuckets { get; set; }

    /// <summary>Categorical fields (including bucketised continuous), in order.</summary>
    public List<FieldEncoding> Categorical { get; set; } = [];

    /// <summary>Multi-valued fields.</summary>
    public List<FieldEncoding> Multi { get; set; } = [];

    /// <summary>Normalised continuous fields.</summary>
    public List<FieldEncoding> Continuous { get; set; } = [];

    /// <summary>Padded length of multi-valued slot lists.</summary>
    public int MultiLength { get; set; } = 1;

    /// <summary>Id slots including slot 0.</summary>
    public long IdSlots => IdHashBuckets > 0 ? IdHashBuckets + 1 : IdVocabulary.Length + 1;

    /// <summary>Total slots of the shared categorical table.</summary>
    public long CategoricalSlots => Categorical.Sum(f => f.Slots);

    /// <summary>Total slots of the shared multi-valued table (slot 0 is padding).</summary>
    public long MultiSlots => 1 + Multi.Sum(f => f.Slots);

    /// <summary>Fits vocabularies and normalisers from the known ids and the profile table.</summary>
    public static FeatureEncoder Fit(IReadOnlyList<long> ids, ProfileTable profiles, TwoTowerOptions options, IReadOnlySet<string> excluded)
    {
        var encoder = new FeatureEncoder();
        var sortedIds = ids.Distinct().Order().ToArray();
        if (options.IdHashBuckets > 0 && sortedIds.Length > options.IdHashBuckets)
        {
            encoder.IdHashBuckets = options.IdHashBuckets;
        }
        else
        {
            encoder.IdVocabulary = sortedIds;
        }

        var known = new List<Profile>();
        foreach (var id in sortedIds)
        {
            if (profiles.TryGet(id, out var p))
            {
                known.Add(p);
            }
        }

        var maxLength = 1;
        var fields = profiles.Schema.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var spec = fields[i];
            if (spec.Kind == FeatureKind.Id || excluded.Contains(spec.Name))
            {
                continue;
            }

            var field = new FieldEncoding { Name = spec.Name, SchemaIndex = i, Kind = spec.Kind };
            switch (spec.Kind)
            {
                case FeatureKind.Categorical:
                case FeatureKind.MultiCategorical:
                    field.Vocabulary = known.SelectMany(p => p.Values[i]).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                    if (spec.Kind == FeatureKind.MultiCategorical)
                    {
                        maxLength = Math.Max(maxLength, known.Count == 0 ? 1 : known.Max(p => p.Values[i].Length));
                        encoder.Multi.Add(field);
                    }
                    else
                    {
                        encoder.Categorical.Add(field);
                    }

                    break;
                case FeatureKind.Continuous:
                    var values = known.Select(p => Parse(p.Single(i), spec.Name, p.Id)).Where(v => v.HasValue).Select(v => v!.Value).ToArray();
                    if (options.ContinuousEncoding == ContinuousEncoding.Bucketize)
                    {
                        field.Bucketized = true;
                        field.Log = options.LogBeforeBucketize;
                        var transformed = values.Select(v => field.Log ? Math.Log(1 + Math.Max(0, v)) : v).Order().ToArray();
                        for (var b = 1; b < options.ContinuousBuckets && transformed.Length > 0; b++)
                        {
                            var q = transformed[(int)((long)b * (transformed.Length - 1) / options.ContinuousBuckets)];
                            if (field.Boundaries.Count == 0 || q > field.Boundaries[^1])
                            {
                                field.Boundaries.Add(q);
                            }
                        }

                        encoder.Categorical.Add(field);
                    }
                    else
                    {
                        field.Mean = values.Length == 0 ? 0 : values.Average();
                        var variance = values.Length == 0 ? 0 : values.Select(v => (v - field.Mean) * (v - field.Mean)).Average();
                        field.Std = variance > 1e-12 ? Math.Sqrt(variance) : 1;
                        encoder.Continuous.Add(field);
                    }

                    break;
            }
        }

        encoder.MultiLength = Math.Min(maxLength, 64);
        encoder.Prepare();
        return encoder;
    }

    /// <summary>The id slot of <paramref name="id"/> (0 when unknown).</summary>
    public long IdSlot(long id)
    {
        if (IdHashBuckets > 0)
        {
            return 1 + (long)(XxHash3.HashToUInt64(BitConverter.GetBytes(id)) % (ulong)IdHashBuckets);
        }

        return _idSlots.TryGetValue(id, out var slot) ? slot : 0;
    }

    /// <summary>True when the id has its own slot (always true when hashed).</summary>
    public bool IsKnown(long id) => IdHashBuckets > 0 || _idSlots.ContainsKey(id);

    /// <summary>Encodes entities; a null profile leaves every feature missing.</summary>
    public EncodedRows Encode(IReadOnlyList<long> ids, Func<long, Profile?> profileOf, bool forceOutOfVocabulary = false)
    {
        var rows = new EncodedRows(ids.Count, Categorical.Count, Multi.Count, MultiLength, Continuous.Count);
        for (var r = 0; r < ids.Count; r++)
        {
            rows.Ids[r] = forceOutOfVocabulary ? 0 : IdSlot(ids[r]);
            var profile = profileOf(ids[r]);
            if (profile is null)
            {
                continue;
            }

            for (var f = 0; f < Categorical.Count; f++)
            {
                var field = Categorical[f];
                long slot;
                if (field.Bucketized)
                {
                    var v = Parse(profile.Single(field.SchemaIndex), field.Name, profile.Id);
                    slot = v is null ? 0 : 1 + Bucket(field, field.Log ? Math.Log(1 + Math.Max(0, v.Value)) : v.Value);
                }
                else
                {
                    var value = profile.Single(field.SchemaIndex);
                    slot = value is not null && _lookups[field.SchemaIndex].TryGetValue(value, out var s) ? s : 0;
                }

                rows.Categorical[r * Categorical.Count + f] = field.Offset + slot;
            }

            for (var f = 0; f < Multi.Count; f++)
            {
                var field = Multi[f];
                var values = field.SchemaIndex < profile.Values.Count ? profile.Values[field.SchemaIndex] : [];
                var n = 0;
                foreach (var value in values)
                {
                    if (n == MultiLength)
                    {
                        break;
                    }

                    if (_lookups[field.SchemaIndex].TryGetValue(value, out var s))
                    {
                        rows.Multi[((r * Multi.Count) + f) * MultiLength + n++] = field.Offset + s;
                    }
                }
            }

            for (var f = 0; f < Continuous.Count; f++)
            {
                var field = Continuous[f];
                var v = Parse(profile.Single(field.SchemaIndex), field.Name, profile.Id);
                rows.Continuous[r * Continuous.Count + f] = v is null ? 0f : (float)((v.Value - field.Mean) / field.Std);
            }
        }

        return rows;
    }

    /// <summary>Serialises the encoder as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>The encoder as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>An encoder from <see cref="ToJson"/>.</summary>
    public static FeatureEncoder FromJson(string json)
    {
        var encoder = JsonSerializer.Deserialize<FeatureEncoder>(json, JsonOptions)
            ?? throw new RecFrameworkException(RecError.ArtifactCorrupt, "Empty feature encoder.");
        encoder.Prepare();
        return encoder;
    }

    /// <summary>
    /// A deep copy of this encoder with <paramref name="ids"/> as its id vocabulary. The fields are copied through
    /// JSON; the vocabulary (a million ids at catalogue scale) is not, so a warm start does not print and parse it.
    /// </summary>
    public FeatureEncoder WithIdVocabulary(long[] ids)
    {
        var fields = (FeatureEncoder)MemberwiseClone();
        fields.IdVocabulary = [];
        var copy = FromJson(fields.ToJson());
        copy.IdVocabulary = ids;
        copy.Refresh();
        return copy;
    }

    /// <summary>Rebuilds the lookups after the vocabularies were changed.</summary>
    public void Refresh() => Prepare();

    /// <summary>Loads an encoder written by <see cref="Save"/>.</summary>
    public static FeatureEncoder Load(string path)
    {
        var encoder = JsonSerializer.Deserialize<FeatureEncoder>(File.ReadAllText(path), JsonOptions)
            ?? throw new RecFrameworkException(RecError.ArtifactCorrupt, $"{path}: empty feature encoder.");
        encoder.Prepare();
        return encoder;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private void Prepare()
    {
        _idSlots = new Dictionary<long, long>(IdVocabulary.Length);
        for (var i = 0; i < IdVocabulary.Length; i++)
        {
            _idSlots[IdVocabulary[i]] = i + 1;
        }

        var maxIndex = Categorical.Concat(Multi).Concat(Continuous).Select(f => f.SchemaIndex).DefaultIfEmpty(-1).Max();
        _lookups = new Dictionary<string, long>[maxIndex + 1];
        long offset = 0;
        foreach (var field in Categorical)
        {
            field.Offset = offset;
            offset += field.Slots;
        }

        offset = 0;
        foreach (var field in Multi)
        {
            // Slot 0 of the multi table is padding; each field's "unknown" slot is never emitted.
            field.Offset = offset;
            offset += field.Slots;
        }

        foreach (var field in Categorical.Concat(Multi))
        {
            var lookup = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < field.Vocabulary.Count; i++)
            {
                lookup[field.Vocabulary[i]] = i + 1;
            }

            _lookups[field.SchemaIndex] = lookup;
        }
    }

    private static int Bucket(FieldEncoding field, double value)
    {
        var index = field.Boundaries.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }

    private static double? Parse(string? value, string field, long id)
    {
        if (value is null || value.Length == 0)
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Continuous feature '{field}' of {id} is not a number: '{value}'.");
        }

        return v;
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace RecFramework.Catalog;

/// <summary>
/// A profile's non-empty fields as a read-only dictionary by field name, over the profile's own value arrays and its
/// table's schema (no copy): a catalogue of a million items otherwise holds a million dictionaries.
/// Enumerates in schema order. A name is found by a scan of the schema, or for a wide schema through one index by
/// name shared by every item of that schema.
/// </summary>
internal sealed class ProfileFields : IReadOnlyDictionary<string, string[]>
{
    /// <summary>Schemas wider than this look names up in a shared dictionary instead of scanning.</summary>
    internal const int ScanLimit = 8;

    private static readonly ConditionalWeakTable<FeatureSchema, Dictionary<string, int>> Indexes = new();
    private readonly FeatureSchema _schema;
    private readonly Dictionary<string, int>? _index;
    private readonly IReadOnlyList<string[]> _values;

    public ProfileFields(FeatureSchema schema, IReadOnlyList<string[]> values)
    {
        _schema = schema;
        _values = values;
        _index = schema.Fields.Count > ScanLimit
            ? Indexes.GetValue(schema, static s => s.Fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal))
            : null;
        for (var i = 0; i < Math.Min(schema.Fields.Count, values.Count); i++)
        {
            if (values[i].Length > 0)
            {
                Count++;
            }
        }
    }

    public int Count { get; }

    public IEnumerable<string> Keys => this.Select(kv => kv.Key);

    public IEnumerable<string[]> Values => this.Select(kv => kv.Value);

    public string[] this[string key] => TryGetValue(key, out var values) ? values : throw new KeyNotFoundException($"The item has no value for '{key}'.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var i = _index is null ? _schema.IndexOf(key) : _index.GetValueOrDefault(key, -1);
        if (i >= 0 && i < _values.Count && _values[i].Length > 0)
        {
            value = _values[i];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator()
    {
        for (var i = 0; i < Math.Min(_schema.Fields.Count, _values.Count); i++)
        {
            if (_values[i].Length > 0)
            {
                yield return new KeyValuePair<string, string[]>(_schema.Fields[i].Name, _values[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

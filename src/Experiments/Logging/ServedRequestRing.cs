using RecFramework.Experiments.Analysis;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using RecFramework.Pipeline;

namespace RecFramework.Experiments.Logging;

/// <summary>
/// The most recent served requests, as click attribution needs them (user, assignment, item and channel at every
/// position), in preallocated flat arrays: no object per request, so the service's hundreds of answers a second leave
/// nothing behind that has to be promoted, kept in gen 2 and collected there later (before, about 1 KB per request
/// did; its gen-2 collections paused every request). Request ids are keyed by their 128-bit xxHash; names (layers,
/// experiments, variants, channels, configuration versions) are interned. A request is forgotten when
/// <see cref="Capacity"/> newer ones arrived or its items were overwritten in the shared item buffer. Thread-safe.
/// </summary>
internal sealed class ServedRequestRing
{
    private const int NoExperiment = -1;

    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, int> _slotOf;
    private readonly Dictionary<string, int> _nameIds = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    // Per request slot.
    private readonly UInt128[] _key;
    private readonly long[] _user;
    private readonly bool[] _holdout;
    private readonly int[] _configVersion;
    private readonly long[] _itemStart;
    private readonly int[] _itemCount;
    private readonly long[] _layerStart;
    private readonly int[] _layerCount;
    private readonly bool[] _used;
    private long _requests;

    // Shared circular buffers, addressed by a running position (slot arrays keep where each request starts).
    private readonly long[] _items;
    private readonly int[] _itemChannel;
    private readonly int[] _itemTeam;
    private long _itemHead;
    private readonly LayerEntry[] _layers;
    private long _layerHead;

    /// <param name="capacity">Requests remembered.</param>
    /// <param name="itemCapacity">Items remembered over all of them (a request's items are forgotten once overwritten).</param>
    public ServedRequestRing(int capacity, int itemCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemCapacity);
        Capacity = capacity;
        _slotOf = new Dictionary<UInt128, int>(capacity);
        _key = new UInt128[capacity];
        _user = new long[capacity];
        _holdout = new bool[capacity];
        _configVersion = new int[capacity];
        _itemStart = new long[capacity];
        _itemCount = new int[capacity];
        _layerStart = new long[capacity];
        _layerCount = new int[capacity];
        _used = new bool[capacity];
        _items = new long[itemCapacity];
        _itemChannel = new int[itemCapacity];
        _itemTeam = new int[itemCapacity];
        _layers = new LayerEntry[Math.Max(capacity, 16) * 4];
    }

    /// <summary>Requests remembered at most.</summary>
    public int Capacity { get; }

    /// <summary>Remembers a served request (a repeated request id replaces the earlier one).</summary>
    /// <param name="requestId">Request id.</param>
    /// <param name="userId">User served.</param>
    /// <param name="holdout">Whether the user is in the global holdout.</param>
    /// <param name="configVersion">Experiment configuration version.</param>
    /// <param name="layers">The assignment's layers.</param>
    /// <param name="items">The answer's items; each position is credited to the item's first channel.</param>
    /// <param name="teams">In an interleaving experiment, the variant that placed each item; null otherwise.</param>
    public void Remember(string requestId, long userId, bool holdout, string configVersion, IReadOnlyList<LayerStamp> layers, IReadOnlyList<RecommendedItem> items,
        IReadOnlyList<string>? teams = null)
    {
        var key = KeyOf(requestId);
        lock (_gate)
        {
            var slot = (int)(_requests++ % Capacity);
            if (_used[slot])
            {
                _slotOf.Remove(_key[slot]);
            }

            if (_slotOf.Remove(key, out var previous))
            {
                _used[previous] = false;
            }

            _used[slot] = true;
            _key[slot] = key;
            _slotOf[key] = slot;
            _user[slot] = userId;
            _holdout[slot] = holdout;
            _configVersion[slot] = Intern(configVersion);

            var count = Math.Min(items.Count, _items.Length);
            _itemStart[slot] = _itemHead;
            _itemCount[slot] = count;
            for (var i = 0; i < count; i++)
            {
                var at = (int)((_itemHead + i) % _items.Length);
                var item = items[i];
                _items[at] = item.ItemId;
                _itemChannel[at] = Intern(ChannelOf(item));
                _itemTeam[at] = teams is null ? NoExperiment : Intern(teams[i]);
            }

            _itemHead += count;

            var layerCount = Math.Min(layers.Count, _layers.Length);
            _layerStart[slot] = _layerHead;
            _layerCount[slot] = layerCount;
            for (var l = 0; l < layerCount; l++)
            {
                var layer = layers[l];
                _layers[(int)((_layerHead + l) % _layers.Length)] = new LayerEntry(
                    Intern(layer.Layer), layer.Experiment is null ? NoExperiment : Intern(layer.Experiment), Intern(layer.Variant), layer.Bucket, layer.ReverseBucket);
            }

            _layerHead += layerCount;
        }
    }

    /// <summary>
    /// The position, channel and assignment of <paramref name="itemId"/> in request <paramref name="requestId"/>
    /// served to <paramref name="userId"/>; false when the request is unknown (too old, another user's, before a
    /// restart) or did not show the item.
    /// </summary>
    public bool TryFind(string requestId, long userId, long itemId, out Attribution attribution)
    {
        var key = KeyOf(requestId);
        lock (_gate)
        {
            attribution = default;
            if (!_slotOf.TryGetValue(key, out var slot) || _user[slot] != userId || !Intact(slot))
            {
                return false;
            }

            var start = _itemStart[slot];
            for (var i = 0; i < _itemCount[slot]; i++)
            {
                var at = (int)((start + i) % _items.Length);
                if (_items[at] == itemId)
                {
                    var layers = new List<LayerStamp>(_layerCount[slot]);
                    for (var l = 0; l < _layerCount[slot]; l++)
                    {
                        var entry = _layers[(int)((_layerStart[slot] + l) % _layers.Length)];
                        layers.Add(new LayerStamp(
                            _names[entry.Layer],
                            entry.Experiment == NoExperiment ? null : _names[entry.Experiment],
                            _names[entry.Variant],
                            entry.Bucket,
                            entry.Reverse));
                    }

                    attribution = new Attribution(i, _names[_itemChannel[at]], _holdout[slot], _names[_configVersion[slot]], layers,
                        _itemTeam[at] == NoExperiment ? null : _names[_itemTeam[at]]);
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The channel a position is credited to: the item's first (best) channel.</summary>
    public static string ChannelOf(RecommendedItem item) => LoggedEvent.ChannelOf(item);

    private static UInt128 KeyOf(string requestId) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(requestId.AsSpan()));

    /// <summary>Whether neither the items nor the layers of <paramref name="slot"/> were overwritten since.</summary>
    private bool Intact(int slot) =>
        _itemHead - _itemStart[slot] <= _items.Length && _layerHead - _layerStart[slot] <= _layers.Length;

    private int Intern(string name)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_nameIds, name, out var exists);
        if (!exists)
        {
            id = _names.Count;
            _names.Add(name);
        }

        return id;
    }

    /// <summary>Where a clicked item was shown and who was served.</summary>
    public readonly record struct Attribution(int Position, string Channel, bool Holdout, string ConfigVersion, IReadOnlyList<LayerStamp> Layers, string? Team = null);

    private readonly record struct LayerEntry(int Layer, int Experiment, int Variant, int Bucket, bool Reverse);
}

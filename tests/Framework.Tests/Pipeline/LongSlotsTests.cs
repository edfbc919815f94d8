using CsCheck;
using RecFramework.Pipeline;
using RecFramework.Testing;

namespace RecFramework.Tests.Pipeline;

/// <summary>
/// <see cref="LongSlots"/> behaves as a <see cref="Dictionary{TKey, TValue}"/> of id → value through additions,
/// value writes, growth and O(1) clears, for any ids (negative, extreme, clustered).
/// </summary>
public sealed class LongSlotsTests
{
    [Fact]
    public void BehavesAsADictionaryThroughGrowthAndClears()
    {
        var id = Gen.OneOf(Gen.Long[-40, 40], Gen.Long, Gen.Const(long.MinValue), Gen.Const(long.MaxValue), Gen.Long[0, 5_000].Select(x => x << 32));
        // An operation: 0 add-or-write, 1 contains, 2 clear (rare).
        var operation = Gen.Select(Gen.Int[0, 40].Select(x => x == 0 ? 2 : x % 2), id, Gen.Int);
        var table = new LongSlots(capacity: 4);
        operation.Array[0, 6_000].SampleSeeded(operations =>
        {
            table.Clear();
            var expected = new Dictionary<long, int>();
            foreach (var (kind, key, value) in operations)
            {
                switch (kind)
                {
                    case 0:
                        ref var slot = ref table.GetValueRefOrAddDefault(key, out var exists);
                        Assert.Equal(expected.TryGetValue(key, out var old), exists);
                        Assert.Equal(exists ? old : 0, slot);
                        slot = value;
                        expected[key] = value;
                        break;
                    case 1:
                        Assert.Equal(expected.ContainsKey(key), table.Contains(key));
                        break;
                    default:
                        table.Clear();
                        expected.Clear();
                        break;
                }

                Assert.Equal(expected.Count, table.Count);
            }

            foreach (var (key, value) in expected)
            {
                Assert.Equal(value, table.GetValueRefOrAddDefault(key, out var exists));
                Assert.True(exists);
                Assert.False(table.Add(key));
            }
        }, iter: 100);
    }
}

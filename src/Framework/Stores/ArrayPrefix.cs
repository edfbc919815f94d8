using System.Collections;

namespace RecFramework.Stores;

/// <summary>A read-only view of the first <c>count</c> entries of an array that is never written again (no copy).</summary>
internal sealed class ArrayPrefix<T>(T[] array, int count) : IReadOnlyList<T>
{
    public int Count { get; } = Math.Clamp(count, 0, array.Length);

    public T this[int index] => (uint)index < (uint)Count ? array[index] : throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {Count} entries.");

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return array[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

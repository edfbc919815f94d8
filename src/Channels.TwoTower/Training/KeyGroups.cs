namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// Elements grouped by a dense key in one counting pass: <see cref="Order"/> lists the element indices of key 0, then
/// of key 1, …, each group in the elements' order; key k's group is <c>Order[Start[k]..Start[k + 1]]</c>.
/// </summary>
internal readonly record struct KeyGroups(int[] Start, int[] Order)
{
    /// <summary>Groups the elements by <paramref name="keys"/> (each in [0, <paramref name="keyCount"/>)).</summary>
    public static KeyGroups Of(ReadOnlySpan<int> keys, int keyCount)
    {
        var start = new int[keyCount + 1];
        foreach (var key in keys)
        {
            start[key + 1]++;
        }

        for (var k = 0; k < keyCount; k++)
        {
            start[k + 1] += start[k];
        }

        var order = new int[keys.Length];
        var next = start[..^1];
        for (var i = 0; i < keys.Length; i++)
        {
            order[next[keys[i]]++] = i;
        }

        return new KeyGroups(start, order);
    }

    /// <summary>Elements in key <paramref name="key"/>'s group.</summary>
    public int Count(int key) => Start[key + 1] - Start[key];
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace RecFramework.Channels.TwoTower;

/// <summary>Element-wise float span arithmetic shared by the serving tower and the optimisers (vectorised).</summary>
internal static class FloatSpans
{
    /// <summary>target += source, element by element, in index order per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ReadOnlySpan<float> source, Span<float> target)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(source[i..]) + new Vector<float>(target[i..])).CopyTo(target[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            target[i] += source[i];
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>The address of a contiguous float32 CPU tensor's first element, for reading and writing rows in place.</summary>
internal static class NativeRows
{
    /// <summary>
    /// Row 0 of <paramref name="tensor"/> (rows follow at a stride of the row width). The storage is native and never
    /// moves; the pointer stays valid while the tensor lives. Only the first row's bytes are spanned, so tables over
    /// 2 GB are addressed too.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is not a contiguous float32 CPU tensor.</exception>
    public static unsafe float* Of(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous() || tensor.numel() == 0)
        {
            throw new InvalidOperationException($"Expected a non-empty contiguous float32 CPU tensor, got {tensor.dtype} on {tensor.device_type} with shape [{string.Join(", ", tensor.shape)}].");
        }

        using var data = tensor.detach();
        using var first = data.narrow(0, 0, 1);
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }
}

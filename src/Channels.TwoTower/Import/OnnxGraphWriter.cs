using Google.Protobuf;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// Writes an ONNX model (protobuf) by hand with <see cref="CodedOutputStream"/>: the subset of <c>onnx.proto</c>
/// (IR version 8, opset 13) a tower needs — ModelProto, OperatorSetIdProto, GraphProto, NodeProto, AttributeProto,
/// TensorProto, ValueInfoProto, TypeProto.Tensor and TensorShapeProto. Field numbers are the ONNX IR spec's.
/// </summary>
internal sealed class OnnxGraphWriter
{
    /// <summary>TensorProto.DataType FLOAT.</summary>
    public const int Float = 1;

    /// <summary>TensorProto.DataType INT64.</summary>
    public const int Int64 = 7;

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private int _nodeCount;

    /// <summary>A float initializer (weights) of shape <paramref name="dims"/>.</summary>
    public string Initializer(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        _initializers.Add(Message(o =>
        {
            foreach (var d in dims)
            {
                o.WriteTag(1, WireFormat.WireType.Varint);
                o.WriteInt64(d);
            }

            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteInt32(Float);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited);
            o.WriteString(name);
            o.WriteTag(9, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(bytes)); // raw_data: little-endian, as ONNX requires
        }));
        return name;
    }

    /// <summary>An int64 initializer (shapes) of shape <paramref name="dims"/>.</summary>
    public string Initializer(string name, long[] dims, long[] values)
    {
        _initializers.Add(Message(o =>
        {
            foreach (var d in dims)
            {
                o.WriteTag(1, WireFormat.WireType.Varint);
                o.WriteInt64(d);
            }

            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteInt32(Int64);
            foreach (var v in values)
            {
                o.WriteTag(7, WireFormat.WireType.Varint);
                o.WriteInt64(v);
            }

            o.WriteTag(8, WireFormat.WireType.LengthDelimited);
            o.WriteString(name);
        }));
        return name;
    }

    /// <summary>A graph input; a null dimension is symbolic (named <c>batch</c>).</summary>
    public void Input(string name, int elemType, params long?[] dims) => _inputs.Add(ValueInfo(name, elemType, dims));

    /// <summary>A graph output; a null dimension is symbolic (named <c>batch</c>).</summary>
    public void Output(string name, int elemType, params long?[] dims) => _outputs.Add(ValueInfo(name, elemType, dims));

    /// <summary>Adds a node and returns its (single) output name, <paramref name="output"/> or a generated one.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        var name = $"{opType.ToLowerInvariant()}_{_nodeCount++}";
        output ??= name + "_out";
        _nodes.Add(Message(o =>
        {
            foreach (var input in inputs)
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited);
                o.WriteString(input);
            }

            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString(output);
            o.WriteTag(3, WireFormat.WireType.LengthDelimited);
            o.WriteString(name);
            o.WriteTag(4, WireFormat.WireType.LengthDelimited);
            o.WriteString(opType);
            foreach (var (attributeName, value) in attributes)
            {
                o.WriteTag(5, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFrom(Attribute(attributeName, value)));
            }
        }));
        return output;
    }

    /// <summary>The serialised ModelProto.</summary>
    public byte[] ToModel(string graphName, string producer)
    {
        var graph = Message(o =>
        {
            WriteAll(o, 1, _nodes);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString(graphName);
            WriteAll(o, 5, _initializers);
            WriteAll(o, 11, _inputs);
            WriteAll(o, 12, _outputs);
        });
        var opset = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString("");
            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteInt64(13);
        });
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(8); // ir_version
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString(producer);
            o.WriteTag(7, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(graph));
            o.WriteTag(8, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(opset));
        });
    }

    private static byte[] Attribute(string name, object value) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        switch (value)
        {
            case long i:
                o.WriteTag(3, WireFormat.WireType.Varint);
                o.WriteInt64(i);
                o.WriteTag(20, WireFormat.WireType.Varint);
                o.WriteInt32(2); // INT
                break;
            case float f:
                o.WriteTag(2, WireFormat.WireType.Fixed32);
                o.WriteFloat(f);
                o.WriteTag(20, WireFormat.WireType.Varint);
                o.WriteInt32(1); // FLOAT
                break;
            case long[] ints:
                foreach (var i in ints)
                {
                    o.WriteTag(8, WireFormat.WireType.Varint);
                    o.WriteInt64(i);
                }

                o.WriteTag(20, WireFormat.WireType.Varint);
                o.WriteInt32(7); // INTS
                break;
            default:
                throw new ArgumentException($"Attribute '{name}' has an unsupported type {value.GetType().Name}.", nameof(value));
        }
    });

    private static byte[] ValueInfo(string name, int elemType, long?[] dims)
    {
        var shape = Message(o =>
        {
            foreach (var d in dims)
            {
                var dim = Message(x =>
                {
                    if (d is { } fixedSize)
                    {
                        x.WriteTag(1, WireFormat.WireType.Varint);
                        x.WriteInt64(fixedSize);
                    }
                    else
                    {
                        x.WriteTag(2, WireFormat.WireType.LengthDelimited);
                        x.WriteString("batch");
                    }
                });
                o.WriteTag(1, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFrom(dim));
            }
        });
        var tensor = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt32(elemType);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(shape));
        });
        var type = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(tensor));
        });
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString(name);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(type));
        });
    }

    private static void WriteAll(CodedOutputStream output, int field, List<byte[]> messages)
    {
        foreach (var m in messages)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(m));
        }
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return buffer.ToArray();
    }
}

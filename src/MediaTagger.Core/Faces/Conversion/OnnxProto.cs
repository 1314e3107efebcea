using System.Text;

namespace MediaTagger.Core.Faces.Conversion;

/// <summary>
/// Writes the few ONNX protobuf messages a converted graph needs (ModelProto, GraphProto, NodeProto, AttributeProto,
/// TensorProto, ValueInfoProto), field numbers as in onnx.proto. A hand-written encoder of ~100 lines costs less than a
/// protobuf runtime and generated classes, and ONNX Runtime is the judge that the bytes are right.
/// </summary>
internal sealed class ProtoWriter
{
    readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }

    void Tag(int field, int wireType) => Varint((ulong)(field << 3 | wireType));

    public ProtoWriter Int(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BitConverter.TryWriteBytes(b, value);
        if (!BitConverter.IsLittleEndian) b.Reverse();
        _buffer.Write(b);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());
}

/// <summary>ONNX element types used here (TensorProto.DataType).</summary>
internal enum OnnxType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
}

/// <summary>An ONNX node attribute: one of int, float, ints, floats, string.</summary>
internal sealed record OnnxAttribute(string Name, long? I = null, float? F = null, long[]? Ints = null, float[]? Floats = null, string? S = null)
{
    public ProtoWriter Encode()
    {
        var w = new ProtoWriter().String(1, Name);
        if (F is { } f) w.Float(2, f).Int(20, 1);
        else if (I is { } i) w.Int(3, i).Int(20, 2);
        else if (S is { } s) w.String(4, s).Int(20, 3);
        else if (Floats is { } fs) { foreach (var x in fs) w.Float(7, x); w.Int(20, 6); }
        else if (Ints is { } ints) { foreach (var x in ints) w.Int(8, x); w.Int(20, 7); }
        return w;
    }
}

internal sealed record OnnxNode(string Op, string[] Inputs, string[] Outputs, string Name, params OnnxAttribute[] Attributes)
{
    public ProtoWriter Encode()
    {
        var w = new ProtoWriter();
        foreach (var i in Inputs) w.String(1, i);
        foreach (var o in Outputs) w.String(2, o);
        w.String(3, Name).String(4, Op);
        foreach (var a in Attributes) w.Message(5, a.Encode());
        return w;
    }
}

/// <summary>A constant tensor (an initializer): float, int32 or int64 data, little-endian raw bytes.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, OnnxType Type, byte[] Raw)
{
    public static OnnxTensor Floats(string name, long[] dims, ReadOnlySpan<float> data) =>
        new(name, dims, OnnxType.Float, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data).ToArray());

    public static OnnxTensor Longs(string name, params long[] data) =>
        new(name, [data.Length], OnnxType.Int64, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());

    public ProtoWriter Encode()
    {
        var w = new ProtoWriter();
        foreach (var d in Dims) w.Int(1, d);
        return w.Int(2, (int)Type).String(8, Name).Bytes(9, Raw);
    }
}

/// <summary>A graph input or output: name, element type and shape (a null dimension is dynamic).</summary>
internal sealed record OnnxValue(string Name, OnnxType Type, long?[] Shape)
{
    public ProtoWriter Encode()
    {
        var shape = new ProtoWriter();
        for (var i = 0; i < Shape.Length; i++)
        {
            var dim = new ProtoWriter();
            if (Shape[i] is { } v) dim.Int(1, v);
            else dim.String(2, $"d{i}");
            shape.Message(1, dim);
        }
        var tensor = new ProtoWriter().Int(1, (int)Type).Message(2, shape);
        return new ProtoWriter().String(1, Name).Message(2, new ProtoWriter().Message(1, tensor));
    }
}

internal sealed class OnnxGraph
{
    public List<OnnxNode> Nodes { get; } = [];
    public List<OnnxTensor> Initializers { get; } = [];
    public List<OnnxValue> Inputs { get; } = [];
    public List<OnnxValue> Outputs { get; } = [];

    /// <summary>The model file: IR version 8, opset 17 (ONNX Runtime 1.31 runs both).</summary>
    public byte[] ToModel(string graphName, string producer, string docString)
    {
        var graph = new ProtoWriter();
        foreach (var n in Nodes) graph.Message(1, n.Encode());
        graph.String(2, graphName);
        foreach (var t in Initializers) graph.Message(5, t.Encode());
        foreach (var i in Inputs) graph.Message(11, i.Encode());
        foreach (var o in Outputs) graph.Message(12, o.Encode());
        return new ProtoWriter()
            .Int(1, 8)
            .String(2, producer)
            .String(6, docString)
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, "").Int(2, 17))
            .ToArray();
    }
}

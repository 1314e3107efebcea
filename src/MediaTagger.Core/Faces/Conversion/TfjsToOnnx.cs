namespace MediaTagger.Core.Faces.Conversion;

/// <summary>
/// Converts a TensorFlow.js graph model (NHWC, TensorFlow op names) to an ONNX graph (NCHW convolutions). The image
/// input stays NHWC float32 as in TensorFlow; it is transposed once, the convolution body runs in NCHW, and tensors go
/// back to TensorFlow's layout only where an op depends on it (reshape, squeeze, graph outputs). Only the ops the
/// face models use are mapped; anything else is a clear error naming the op, never a silently wrong graph.
/// </summary>
internal sealed class TfjsToOnnx
{
    /// <summary>A TensorFlow tensor as it exists in the ONNX graph: a runtime value (maybe NCHW) or a constant.</summary>
    sealed record Value(string Onnx, int Rank, bool Nchw, TfjsWeight? Constant = null);

    static readonly long[] ToNchw = [0, 3, 1, 2];
    static readonly long[] ToNhwc = [0, 2, 3, 1];

    readonly TfjsGraphModel _model;
    readonly OnnxGraph _graph = new();
    readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    int _counter;

    TfjsToOnnx(TfjsGraphModel model) => _model = model;

    /// <summary>Converts the nodes the chosen <paramref name="outputs"/> (default: the model's own) depend on; other heads are left out.</summary>
    public static byte[] Convert(TfjsGraphModel model, string producer, IReadOnlyList<string>? outputs = null)
    {
        if (outputs is { Count: > 0 }) model = model.PrunedTo(outputs);
        var c = new TfjsToOnnx(model);
        c.Build();
        return c._graph.ToModel(model.Name, producer, $"Converted from the TensorFlow.js graph model '{model.Name}' by {producer}.");
    }

    void Build()
    {
        foreach (var node in _model.Nodes)
        {
            try { Emit(node); }
            catch (TfjsConversionException) { throw; }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException or FormatException)
            {
                throw new TfjsConversionException($"node '{node.Name}' ({node.Op}) cannot be converted: {ex.Message}");
            }
        }
        foreach (var name in _model.OutputNames)
        {
            var v = Plain(Get(name));
            var id = Node("Identity", [v.Onnx], name: name);
            _graph.Outputs.Add(new OnnxValue(id, OnnxType.Float, new long?[v.Rank]));
        }
    }

    string Fresh(string hint) => $"{hint}__{_counter++}";

    string Node(string op, string[] inputs, string? name = null, params OnnxAttribute[] attributes)
    {
        var output = name ?? Fresh(op);
        _graph.Nodes.Add(new OnnxNode(op, inputs, [output], Fresh("n_" + op), attributes));
        return output;
    }

    Value Get(string input)
    {
        var name = TfjsGraphModel.BaseName(input);
        return _values.TryGetValue(name, out var v) ? v : throw new TfjsConversionException($"input '{input}' is not produced by any node before it");
    }

    /// <summary>The ONNX name of a value, materialising a constant as an initializer on first use.</summary>
    string Use(Value v)
    {
        if (v.Constant is not { } c || _initializers.Contains(v.Onnx)) return v.Onnx;
        _initializers.Add(v.Onnx);
        var dims = c.Shape.Select(d => (long)d).ToArray();
        _graph.Initializers.Add(c.Floats is { } f ? OnnxTensor.Floats(v.Onnx, dims, f) : OnnxTensor.Floats(v.Onnx, dims, c.Ints!.Select(i => (float)i).ToArray()));
        return v.Onnx;
    }

    string Init(string hint, long[] dims, float[] data)
    {
        var name = Fresh(hint);
        _graph.Initializers.Add(OnnxTensor.Floats(name, dims, data));
        return name;
    }

    string InitLongs(string hint, params long[] data)
    {
        var name = Fresh(hint);
        _graph.Initializers.Add(OnnxTensor.Longs(name, data));
        return name;
    }

    Value Plain(Value v) => v.Nchw ? v with { Onnx = Node("Transpose", [Use(v)], null, new OnnxAttribute("perm", Ints: ToNhwc)), Nchw = false } : v;

    Value Nchw(Value v)
    {
        if (v.Nchw) return v;
        if (v.Rank != 4) throw new TfjsConversionException($"a convolution needs a 4-d input, got rank {v.Rank}");
        return v with { Onnx = Node("Transpose", [Use(v)], null, new OnnxAttribute("perm", Ints: ToNchw)), Nchw = true };
    }

    TfjsWeight Const(string input) => Get(input).Constant ?? throw new TfjsConversionException($"'{input}' must be a constant");

    void Set(TfjsNode node, Value v) => _values[node.Name] = v;

    void Emit(TfjsNode n)
    {
        switch (n.Op)
        {
            case "Const":
                var w = _model.Weights.TryGetValue(n.Name, out var weight) ? weight : throw new TfjsConversionException($"constant '{n.Name}' has no weights in the manifest");
                Set(n, new Value(n.Name, w.Shape.Length, false, w));
                break;
            case "Placeholder":
                var dims = n.Attributes.GetProperty("shape").GetProperty("shape").GetProperty("dim").EnumerateArray()
                    .Select(d => long.Parse(d.GetProperty("size").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).Select(d => d < 0 ? (long?)null : d).ToArray();
                _graph.Inputs.Add(new OnnxValue(n.Name, OnnxType.Float, dims));
                Set(n, new Value(n.Name, dims.Length, false));
                break;
            case "Identity":
                Set(n, Get(n.Inputs[0]));
                break;
            case "_FusedConv2D" or "Conv2D" or "FusedDepthwiseConv2dNative" or "DepthwiseConv2dNative":
                Set(n, Convolution(n));
                break;
            case "BiasAdd" or "Add" or "AddV2" or "Sub" or "Mul" or "RealDiv" or "Maximum" or "Minimum":
                Set(n, Binary(n));
                break;
            case "Relu" or "Abs" or "Neg" or "Sigmoid" or "Exp" or "Sqrt" or "Tanh" or "Relu6" or "Square" or "Rsqrt":
                Set(n, Unary(n.Op, Get(n.Inputs[0])));
                break;
            case "MaxPool" or "AvgPool":
                var x = Nchw(Get(n.Inputs[0]));
                var k = n.Ints("ksize");
                var s = n.Ints("strides");
                Set(n, x with
                {
                    Onnx = Node(n.Op == "MaxPool" ? "MaxPool" : "AveragePool", [Use(x)], null,
                        new OnnxAttribute("kernel_shape", Ints: [k[1], k[2]]), new OnnxAttribute("strides", Ints: [s[1], s[2]]), AutoPad(n)),
                });
                break;
            case "Pad" or "PadV2":
                Set(n, Pad(n));
                break;
            case "Reshape":
                var r = Plain(Get(n.Inputs[0]));
                var shape = Const(n.Inputs[1]).Ints!;
                Set(n, new Value(Node("Reshape", [Use(r), InitLongs("shape", shape.Select(v => (long)v).ToArray())]), shape.Length, false));
                break;
            case "Squeeze":
                var q = Plain(Get(n.Inputs[0]));
                var axes = n.Ints("squeeze_dims");
                if (axes.Length == 0) throw new TfjsConversionException("Squeeze without squeeze_dims needs static shapes");
                Set(n, new Value(Node("Squeeze", [Use(q), InitLongs("axes", axes)]), q.Rank - axes.Length, false));
                break;
            case "Sum" or "Mean" or "Max":
                Set(n, Reduce(n));
                break;
            case "MatMul" or "_FusedMatMul":
                Set(n, MatMul(n));
                break;
            case "Softmax":
                var sm = Plain(Get(n.Inputs[0]));
                Set(n, sm with { Onnx = Node("Softmax", [Use(sm)], null, new OnnxAttribute("axis", I: -1)) });
                break;
            case "ConcatV2":
                Set(n, Concat(n));
                break;
            default:
                throw new TfjsConversionException($"the op '{n.Op}' (node '{n.Name}') is not supported by the converter");
        }
    }

    OnnxAttribute AutoPad(TfjsNode n) => n.String("padding") switch
    {
        // TensorFlow's SAME puts the odd pixel at the end, as ONNX's SAME_UPPER does.
        "SAME" => new OnnxAttribute("auto_pad", S: "SAME_UPPER"),
        "VALID" => new OnnxAttribute("auto_pad", S: "VALID"),
        var p => throw new TfjsConversionException($"padding '{p}' is not supported"),
    };

    Value Convolution(TfjsNode n)
    {
        var x = Nchw(Get(n.Inputs[0]));
        var filter = Const(n.Inputs[1]);
        var depthwise = n.Op.Contains("Depthwise", StringComparison.Ordinal);
        var (kh, kw, cin, cout) = (filter.Shape[0], filter.Shape[1], filter.Shape[2], filter.Shape[3]);
        var f = filter.Floats ?? throw new TfjsConversionException("the filter must be float");
        float[] weights;
        long[] dims;
        if (depthwise)
        {
            // TensorFlow [H, W, C, M] → ONNX grouped conv [C*M, 1, H, W]; output channel c*M+m as in TensorFlow.
            weights = new float[f.Length];
            for (var h = 0; h < kh; h++)
            for (var ww = 0; ww < kw; ww++)
            for (var c = 0; c < cin; c++)
            for (var m = 0; m < cout; m++)
                weights[((c * cout + m) * kh + h) * kw + ww] = f[((h * kw + ww) * cin + c) * cout + m];
            dims = [cin * cout, 1, kh, kw];
        }
        else
        {
            // HWIO → OIHW.
            weights = new float[f.Length];
            for (var h = 0; h < kh; h++)
            for (var ww = 0; ww < kw; ww++)
            for (var i = 0; i < cin; i++)
            for (var o = 0; o < cout; o++)
                weights[((o * cin + i) * kh + h) * kw + ww] = f[((h * kw + ww) * cin + i) * cout + o];
            dims = [cout, cin, kh, kw];
        }
        var strides = n.Ints("strides");
        var dilations = n.Has("dilations") ? n.Ints("dilations") : [1, 1, 1, 1];
        var inputs = new List<string> { Use(x), Init("w", dims, weights) };
        var fused = n.Strings("fused_ops");
        var rest = 2;
        if (fused.Length > 0 && fused[0] == "BiasAdd")
        {
            inputs.Add(Use(Get(n.Inputs[2])));
            rest = 3;
        }
        else if (fused.Length > 0)
        {
            throw new TfjsConversionException($"fused op '{fused[0]}' is not supported");
        }
        var attributes = new List<OnnxAttribute>
        {
            new("strides", Ints: [strides[1], strides[2]]),
            new("dilations", Ints: [dilations[1], dilations[2]]),
            new("kernel_shape", Ints: [kh, kw]),
            AutoPad(n),
        };
        if (depthwise) attributes.Add(new OnnxAttribute("group", I: cin));
        var y = new Value(Node("Conv", inputs.ToArray(), null, attributes.ToArray()), 4, true);
        foreach (var act in fused.Skip(1))
        {
            y = act switch
            {
                "Relu" => Unary("Relu", y),
                "Relu6" => Unary("Relu6", y),
                "Prelu" => Prelu(y, Get(n.Inputs[rest])),
                _ => throw new TfjsConversionException($"fused activation '{act}' is not supported"),
            };
        }
        return y;
    }

    Value MatMul(TfjsNode n)
    {
        var a = Plain(Get(n.Inputs[0]));
        if (n.Bool("transpose_a") || n.Bool("transpose_b")) throw new TfjsConversionException("transposed MatMul is not supported");
        var y = new Value(Node("MatMul", [Use(a), Use(Get(n.Inputs[1]))]), a.Rank, false);
        var fused = n.Strings("fused_ops");
        if (fused.Length > 0 && fused[0] == "BiasAdd") y = y with { Onnx = Node("Add", [y.Onnx, Use(Get(n.Inputs[2]))]) };
        foreach (var act in fused.Skip(1))
            y = act == "Relu" ? Unary("Relu", y) : throw new TfjsConversionException($"fused activation '{act}' is not supported");
        return y;
    }

    Value Prelu(Value x, Value alpha) => x with { Onnx = Node("PRelu", [Use(x), BroadcastConstant(alpha, x)]) };

    Value Unary(string op, Value x) => op switch
    {
        "Relu6" => x with { Onnx = Node("Clip", [Use(x), Init("lo", [], [0f]), Init("hi", [], [6f])]) },
        "Square" => x with { Onnx = Node("Mul", [Use(x), Use(x)]) },
        "Rsqrt" => x with { Onnx = Node("Reciprocal", [Node("Sqrt", [Use(x)])]) },
        _ => x with { Onnx = Node(op, [Use(x)]) },
    };

    /// <summary>A constant operand as ONNX needs it beside <paramref name="other"/>: per-channel vectors move to axis 1 in NCHW.</summary>
    string BroadcastConstant(Value constant, Value other)
    {
        var c = constant.Constant!;
        if (!other.Nchw || c.Count == 1) return Use(constant);
        var channels = c.Shape.Length == 0 ? 1 : c.Shape[^1];
        if (c.Count != channels) throw new TfjsConversionException("only per-channel constants broadcast against an NCHW tensor");
        var data = c.Floats ?? c.Ints!.Select(i => (float)i).ToArray();
        return Init("c", [channels, 1, 1], data);
    }

    Value Binary(TfjsNode n)
    {
        var a = Get(n.Inputs[0]);
        var b = Get(n.Inputs[1]);
        var op = n.Op switch { "BiasAdd" or "AddV2" => "Add", "RealDiv" => "Div", "Maximum" => "Max", "Minimum" => "Min", var o => o };
        string left, right;
        Value shape;
        if (a.Constant is not null && b.Constant is null) { left = BroadcastConstant(a, b); right = Use(b); shape = b; }
        else if (b.Constant is not null && a.Constant is null) { left = Use(a); right = BroadcastConstant(b, a); shape = a; }
        else if (a.Nchw != b.Nchw) { left = Use(Plain(a)); right = Use(Plain(b)); shape = Plain(a); }
        else { left = Use(a); right = Use(b); shape = a.Rank >= b.Rank ? a : b; }
        return new Value(Node(op, [left, right]), shape.Rank, shape.Nchw);
    }

    Value Pad(TfjsNode n)
    {
        var x = Get(n.Inputs[0]);
        var p = Const(n.Inputs[1]).Ints!;
        var rank = p.Length / 2;
        var order = x.Nchw ? ToNchw : Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        // ONNX pads: all begins (in the tensor's own axis order), then all ends.
        var pads = order.Select(a => (long)p[a * 2]).Concat(order.Select(a => (long)p[a * 2 + 1])).ToArray();
        var inputs = new List<string> { Use(x), InitLongs("pads", pads) };
        if (n.Op == "PadV2") inputs.Add(Use(Get(n.Inputs[2])));
        return x with { Onnx = Node("Pad", inputs.ToArray(), null, new OnnxAttribute("mode", S: "constant")) };
    }

    Value Reduce(TfjsNode n)
    {
        var keep = n.Bool("keep_dims");
        var x = keep ? Get(n.Inputs[0]) : Plain(Get(n.Inputs[0]));
        var raw = Const(n.Inputs[1]).Ints!.Select(a => a < 0 ? a + x.Rank : a).ToArray();
        // An NHWC axis a is NCHW axis ToNchw.IndexOf(a).
        var axes = raw.Select(a => x.Nchw ? (long)Array.IndexOf(ToNchw, (long)a) : a).ToArray();
        var op = n.Op switch { "Sum" => "ReduceSum", "Mean" => "ReduceMean", _ => "ReduceMax" };
        // Opset 17: ReduceSum takes its axes as an input, ReduceMean/ReduceMax as an attribute.
        var output = op == "ReduceSum"
            ? Node(op, [Use(x), InitLongs("axes", axes)], null, new OnnxAttribute("keepdims", I: keep ? 1 : 0))
            : Node(op, [Use(x)], null, new OnnxAttribute("axes", Ints: axes), new OnnxAttribute("keepdims", I: keep ? 1 : 0));
        return new Value(output, keep ? x.Rank : x.Rank - axes.Length, keep && x.Nchw);
    }

    Value Concat(TfjsNode n)
    {
        var parts = n.Inputs[..^1].Select(Get).ToList();
        var axis = (long)Const(n.Inputs[^1]).Ints![0];
        var nchw = parts.All(p => p.Nchw);
        var values = parts.Select(p => nchw ? p : Plain(p)).ToList();
        var rank = values[0].Rank;
        if (axis < 0) axis += rank;
        if (nchw) axis = Array.IndexOf(ToNchw, axis);
        return new Value(Node("Concat", values.Select(Use).ToArray(), null, new OnnxAttribute("axis", I: axis)), rank, nchw);
    }
}

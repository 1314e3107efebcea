using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Faces.Conversion;

/// <summary>One node of a TensorFlow.js graph model (model.json "modelTopology.node").</summary>
internal sealed record TfjsNode(string Name, string Op, string[] Inputs, JsonElement Attributes)
{
    public bool Has(string attribute) => Attributes.ValueKind == JsonValueKind.Object && Attributes.TryGetProperty(attribute, out _);

    JsonElement Attr(string name) => Attributes.TryGetProperty(name, out var a)
        ? a
        : throw new TfjsConversionException($"node '{Name}' ({Op}) has no attribute '{name}'");

    public string String(string name) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Attr(name).GetProperty("s").GetString()!));

    public long[] Ints(string name) =>
        Attr(name).GetProperty("list") is var list && list.TryGetProperty("i", out var i)
            ? i.EnumerateArray().Select(x => long.Parse(x.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : [];

    public string[] Strings(string name) =>
        Has(name) && Attr(name).GetProperty("list") is var list && list.TryGetProperty("s", out var s)
            ? s.EnumerateArray().Select(x => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(x.GetString()!))).ToArray()
            : [];

    public bool Bool(string name) => Has(name) && Attr(name).TryGetProperty("b", out var b) && b.GetBoolean();

    public float Float(string name) => Has(name) && Attr(name).TryGetProperty("f", out var f) ? f.GetSingle() : 0f;
}

/// <summary>A weight (a Const node's value), dequantized: float data or int data, with its shape.</summary>
internal sealed record TfjsWeight(string Name, int[] Shape, float[]? Floats, int[]? Ints)
{
    public int Count => Shape.Aggregate(1, (a, b) => a * b);
}

internal sealed class TfjsConversionException(string message) : Exception(message);

/// <summary>
/// A TensorFlow.js graph model as the converter reads it: model.json (topology, weights manifest, signature) and the
/// weight shards beside it, concatenated in manifest order. Quantized weights are expanded to float32 here: float16
/// ("quantization": {"dtype": "float16"}) and affine uint8/uint16 (value = q * scale + min), as tfjs-converter writes them.
/// </summary>
internal sealed class TfjsGraphModel
{
    public required string Name { get; init; }
    public required IReadOnlyList<TfjsNode> Nodes { get; init; }
    public required IReadOnlyDictionary<string, TfjsWeight> Weights { get; init; }

    /// <summary>The graph's output node names: the signature's when it names them, else every node nothing consumes.</summary>
    public required IReadOnlyList<string> OutputNames { get; init; }

    /// <summary>The same model with only <paramref name="outputs"/> and the nodes they depend on.</summary>
    public TfjsGraphModel PrunedTo(IReadOnlyList<string> outputs)
    {
        var byName = Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(outputs);
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (!needed.Add(name)) continue;
            if (!byName.TryGetValue(name, out var node)) throw new TfjsConversionException($"the model has no node '{name}'");
            foreach (var input in node.Inputs) stack.Push(BaseName(input));
        }
        return new TfjsGraphModel { Name = Name, Nodes = Nodes.Where(n => needed.Contains(n.Name)).ToList(), Weights = Weights, OutputNames = outputs };
    }

    public static TfjsGraphModel Load(string modelJson)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelJson))!;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(modelJson));
        var root = doc.RootElement;
        if (!root.TryGetProperty("modelTopology", out var topology) || !topology.TryGetProperty("node", out var nodeArray))
            throw new TfjsConversionException($"'{modelJson}' is not a TensorFlow.js graph model (no modelTopology.node)");
        var nodes = nodeArray.EnumerateArray().Select(n => new TfjsNode(
            n.GetProperty("name").GetString()!,
            n.GetProperty("op").GetString()!,
            n.TryGetProperty("input", out var ins) ? ins.EnumerateArray().Select(i => i.GetString()!).Where(i => !i.StartsWith('^')).ToArray() : [],
            n.TryGetProperty("attr", out var attr) ? attr.Clone() : default)).ToList();

        var weights = new Dictionary<string, TfjsWeight>(StringComparer.Ordinal);
        foreach (var group in root.GetProperty("weightsManifest").EnumerateArray())
        {
            var bytes = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => ReadShard(folder, p.GetString()!)).ToArray();
            var offset = 0;
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                var weight = ReadWeight(w, bytes, ref offset);
                weights[weight.Name] = weight;
            }
            if (offset != bytes.Length)
                throw new TfjsConversionException($"the weight files of '{modelJson}' hold {bytes.Length} bytes but the manifest describes {offset}");
        }

        var consumed = nodes.SelectMany(n => n.Inputs).Select(BaseName).ToHashSet(StringComparer.Ordinal);
        var outputs = SignatureOutputs(root, nodes)
            ?? nodes.Where(n => n.Op is not ("Const" or "Placeholder") && !consumed.Contains(n.Name)).Select(n => n.Name).ToList();
        return new TfjsGraphModel { Name = Path.GetFileNameWithoutExtension(modelJson), Nodes = nodes, Weights = weights, OutputNames = outputs };
    }

    static byte[] ReadShard(string folder, string relative)
    {
        var path = Path.GetFullPath(Path.Combine(folder, relative));
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new TfjsConversionException($"the weight path '{relative}' points outside the model folder");
        return File.ReadAllBytes(path);
    }

    /// <summary>Output names from "signature.outputs" (or userDefinedMetadata.signature), kept only if they name nodes.</summary>
    static List<string>? SignatureOutputs(JsonElement root, List<TfjsNode> nodes)
    {
        JsonElement sig = default;
        if (!(root.TryGetProperty("signature", out sig) || (root.TryGetProperty("userDefinedMetadata", out var meta) && meta.TryGetProperty("signature", out sig)))
            || !sig.TryGetProperty("outputs", out var outs)) return null;
        var names = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var list = outs.EnumerateObject()
            .Select(o => BaseName(o.Value.TryGetProperty("name", out var n) ? n.GetString()! : o.Name))
            .Where(names.Contains).Distinct().ToList();
        return list.Count > 0 ? list : null;
    }

    /// <summary>"node:1" → "node" (the output index is handled by the caller where ops have several outputs).</summary>
    public static string BaseName(string input)
    {
        var colon = input.LastIndexOf(':');
        return colon > 0 && input[(colon + 1)..].All(char.IsAsciiDigit) ? input[..colon] : input;
    }

    static TfjsWeight ReadWeight(JsonElement w, byte[] bytes, ref int offset)
    {
        var name = w.GetProperty("name").GetString()!;
        var shape = w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var dtype = w.GetProperty("dtype").GetString();
        var count = shape.Aggregate(1, (a, b) => a * b);
        var span = bytes.AsSpan();
        if (w.TryGetProperty("quantization", out var q) && q.ValueKind == JsonValueKind.Object)
        {
            var qtype = q.GetProperty("dtype").GetString();
            var floats = new float[count];
            switch (qtype)
            {
                case "float16":
                    Need(bytes, offset, count * 2, name);
                    for (var i = 0; i < count; i++) floats[i] = (float)BitConverter.ToHalf(span.Slice(offset + i * 2, 2));
                    offset += count * 2;
                    break;
                case "uint8" or "uint16":
                    var scale = q.GetProperty("scale").GetSingle();
                    var min = q.GetProperty("min").GetSingle();
                    var size = qtype == "uint8" ? 1 : 2;
                    Need(bytes, offset, count * size, name);
                    for (var i = 0; i < count; i++)
                        floats[i] = (size == 1 ? bytes[offset + i] : BitConverter.ToUInt16(span.Slice(offset + i * 2, 2))) * scale + min;
                    offset += count * size;
                    break;
                default:
                    throw new TfjsConversionException($"weight '{name}' uses quantization '{qtype}', which this converter does not read");
            }
            return dtype == "int32"
                ? new TfjsWeight(name, shape, null, floats.Select(f => (int)MathF.Round(f)).ToArray())
                : new TfjsWeight(name, shape, floats, null);
        }
        Need(bytes, offset, count * 4, name);
        TfjsWeight result = dtype switch
        {
            "float32" => new TfjsWeight(name, shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span.Slice(offset, count * 4)).ToArray(), null),
            "int32" => new TfjsWeight(name, shape, null, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(span.Slice(offset, count * 4)).ToArray()),
            _ => throw new TfjsConversionException($"weight '{name}' has dtype '{dtype}', which this converter does not read"),
        };
        offset += count * 4;
        return result;
    }

    static void Need(byte[] bytes, int offset, int length, string name)
    {
        if (offset + length > bytes.Length)
            throw new TfjsConversionException($"the weight files end before weight '{name}' (truncated download?)");
    }
}

using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>
/// Reads a model's image preprocessing from the file that ships with it: Hugging Face's preprocessor_config.json
/// (legacy form: "size": 224, "crop_size": 224; nested form: "size": {"shortest_edge": 224}, "crop_size": {"height", "width"},
/// "rescale_factor") or OpenCLIP/Immich's preprocess_cfg.json ("size", "mean", "std", "interpolation", "resize_mode").
/// Missing fields fall back to the standard CLIP values.
/// </summary>
public static class PreprocessorConfig
{
    public static ImagePreprocessing Load(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = doc.RootElement;
            return Path.GetFileName(file).Equals("preprocess_cfg.json", StringComparison.OrdinalIgnoreCase) ? FromOpenClip(root) : FromHuggingFace(root);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            throw new MediaTaggerException(ErrorIds.ModelFolderInvalid, $"The preprocessing file '{file}' cannot be read: {ex.Message}", ErrorKind.InvalidData, file, ex);
        }
    }

    static ImagePreprocessing FromHuggingFace(JsonElement root)
    {
        var p = ImagePreprocessing.Clip();
        // "size": 224 (legacy) | {"shortest_edge": 224} | {"height": h, "width": w}
        int? shortest = null, sizeH = null, sizeW = null;
        if (root.TryGetProperty("size", out var size))
        {
            if (size.ValueKind == JsonValueKind.Number) shortest = size.GetInt32();
            else if (size.ValueKind == JsonValueKind.Object)
            {
                if (size.TryGetProperty("shortest_edge", out var se)) shortest = se.GetInt32();
                if (size.TryGetProperty("height", out var h)) sizeH = h.GetInt32();
                if (size.TryGetProperty("width", out var w)) sizeW = w.GetInt32();
            }
        }
        int? cropH = null, cropW = null;
        if (root.TryGetProperty("crop_size", out var crop))
        {
            if (crop.ValueKind == JsonValueKind.Number) cropH = cropW = crop.GetInt32();
            else if (crop.ValueKind == JsonValueKind.Object)
            {
                if (crop.TryGetProperty("height", out var h)) cropH = h.GetInt32();
                if (crop.TryGetProperty("width", out var w)) cropW = w.GetInt32();
            }
        }
        var doCrop = !root.TryGetProperty("do_center_crop", out var dc) || dc.ValueKind != JsonValueKind.False;
        if (shortest is { } s)
        {
            p = p with { ResizeTo = s, Width = doCrop ? cropW ?? s : s, Height = doCrop ? cropH ?? s : s, Resize = ResizeRule.ShortestEdge };
        }
        else if (sizeH is { } h && sizeW is { } w)
        {
            p = doCrop && cropH is { } ch && cropW is { } cw
                ? p with { ResizeTo = Math.Min(h, w), Width = cw, Height = ch, Resize = ResizeRule.ShortestEdge }
                : p with { Width = w, Height = h, ResizeTo = Math.Min(h, w), Resize = ResizeRule.Squash };
        }
        if (root.TryGetProperty("resample", out var rs) && rs.ValueKind == JsonValueKind.Number)
            p = p with { Filter = Enum.IsDefined(typeof(PillowFilter), rs.GetInt32()) ? (PillowFilter)rs.GetInt32() : PillowFilter.Bicubic };
        var rescale = !root.TryGetProperty("do_rescale", out var dr) || dr.ValueKind != JsonValueKind.False;
        p = p with { Scale = rescale ? (root.TryGetProperty("rescale_factor", out var rf) ? rf.GetSingle() : 1f / 255f) : 1f };
        var normalize = !root.TryGetProperty("do_normalize", out var dn) || dn.ValueKind != JsonValueKind.False;
        if (!normalize) p = p with { Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f] };
        else
        {
            if (root.TryGetProperty("image_mean", out var mean)) p = p with { Mean = Triple(mean) };
            if (root.TryGetProperty("image_std", out var std)) p = p with { Std = Triple(std) };
        }
        return p;
    }

    static ImagePreprocessing FromOpenClip(JsonElement root)
    {
        var p = ImagePreprocessing.Clip();
        if (root.TryGetProperty("size", out var size))
        {
            int h, w;
            if (size.ValueKind == JsonValueKind.Array) { h = size[0].GetInt32(); w = size[size.GetArrayLength() - 1].GetInt32(); }
            else h = w = size.GetInt32();
            p = p with { Width = w, Height = h, ResizeTo = Math.Min(h, w) };
        }
        if (root.TryGetProperty("resize_mode", out var mode) && mode.GetString() is { } m)
            p = p with { Resize = m.Equals("squash", StringComparison.OrdinalIgnoreCase) ? ResizeRule.Squash : ResizeRule.ShortestEdge };
        if (root.TryGetProperty("interpolation", out var interp) && interp.GetString() is { } i)
            p = p with
            {
                Filter = i.ToLowerInvariant() switch
                {
                    "bilinear" => PillowFilter.Bilinear,
                    "nearest" => PillowFilter.Nearest,
                    "lanczos" => PillowFilter.Lanczos,
                    _ => PillowFilter.Bicubic,
                },
            };
        if (root.TryGetProperty("mean", out var mean)) p = p with { Mean = Triple(mean) };
        if (root.TryGetProperty("std", out var std)) p = p with { Std = Triple(std) };
        return p;
    }

    static float[] Triple(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number) { var v = e.GetSingle(); return [v, v, v]; }
        var list = e.EnumerateArray().Select(x => x.GetSingle()).ToArray();
        if (list.Length != 3) throw new FormatException($"expected 3 values, got {list.Length}");
        return list;
    }
}

using System.Text.Json.Serialization;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Reps;

/// <summary>
/// What the rep index records about an asset's representative JPEG(s), so a re-run can tell a current rep
/// (same source size and time) from a stale one without decoding anything. Immutable: a new render is a new record.
/// </summary>
public sealed record RepInfo
{
    /// <summary>Source size when the rep was rendered.</summary>
    [JsonInclude] public long SourceLength { get; internal init; }

    /// <summary>Source modification time (UTC) when the rep was rendered.</summary>
    [JsonInclude] public DateTime SourceModifiedUtc { get; internal init; }

    /// <summary>Number of rep files: 1 for images; N for a video rendered with -FramesPerVideo N.</summary>
    [JsonInclude] public int Frames { get; internal init; } = 1;

    /// <summary>Long-edge size (px) the rep was rendered for.</summary>
    [JsonInclude] public int Size { get; internal init; }

    [JsonInclude] public int Width { get; internal init; }
    [JsonInclude] public int Height { get; internal init; }

    /// <summary>Set when rendering failed: later stages skip the asset, the next New-MediaRep run retries it.</summary>
    [JsonInclude] public string? ErrorId { get; internal init; }
    [JsonInclude] public string? Error { get; internal init; }

    [JsonIgnore] public bool Failed => ErrorId is not null;

    /// <summary>Every rep file of <paramref name="asset"/> (frame 1 first); empty when rendering failed.</summary>
    public IReadOnlyList<string> FramePaths(MediaAsset asset) => Failed
        ? []
        : Enumerable.Range(1, Math.Max(1, Frames)).Select(f => Path.Combine(MediaLibrary.RepsFolder(asset.StorePath), FileName(asset.Id, f))).ToArray();

    /// <summary>File name of frame <paramref name="frame"/> (1-based): <c>&lt;id&gt;.jpg</c>, <c>&lt;id&gt;_f2.jpg</c>, …</summary>
    public static string FileName(string assetId, int frame = 1) => frame <= 1 ? assetId + ".jpg" : $"{assetId}_f{frame}.jpg";
}

using System.Text.Json.Serialization;

namespace MediaTagger.Core.Reps;

/// <summary>
/// What the catalog records about an asset's representative JPEG(s), so a re-run can tell a current rep
/// (same source size and time) from a stale one without decoding anything.
/// </summary>
public sealed class RepInfo
{
    /// <summary>Source size when the rep was rendered.</summary>
    public long SourceLength { get; set; }

    /// <summary>Source modification time (UTC) when the rep was rendered.</summary>
    public DateTime SourceModifiedUtc { get; set; }

    /// <summary>Number of rep files: 1 for images; N for a video rendered with -FramesPerVideo N.</summary>
    public int Frames { get; set; } = 1;

    /// <summary>Long-edge size (px) the rep was rendered for.</summary>
    public int Size { get; set; }

    public int Width { get; set; }
    public int Height { get; set; }

    /// <summary>Set when rendering failed: later stages skip the asset, the next New-MediaRep run retries it.</summary>
    public string? ErrorId { get; set; }
    public string? Error { get; set; }

    [JsonIgnore] public bool Failed => ErrorId is not null;

    /// <summary>File name of frame <paramref name="frame"/> (1-based): <c>&lt;id&gt;.jpg</c>, <c>&lt;id&gt;_f2.jpg</c>, …</summary>
    public static string FileName(string assetId, int frame = 1) => frame <= 1 ? assetId + ".jpg" : $"{assetId}_f{frame}.jpg";
}

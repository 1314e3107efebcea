namespace MediaTagger.Core.Xmp;

/// <summary>The tags of one media file: from its sidecar(s) and, read-only, from the XMP embedded in the file.</summary>
public sealed class XmpTagInfo
{
    /// <summary>The media file.</summary>
    public string Path { get; set; } = "";

    /// <summary>Every hierarchical tag ('|' between levels), sidecar tags first, without duplicates.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>The sidecar MediaTagger reads and writes for this file; null when there is none.</summary>
    public string? Sidecar { get; set; }

    /// <summary>Tags found in the sidecar(s).</summary>
    public string[] SidecarTags { get; set; } = [];

    /// <summary>Tags embedded in the media file's own XMP (never written by MediaTagger).</summary>
    public string[] EmbeddedTags { get; set; } = [];

    /// <summary>Set by Set-/Remove-MediaXmpTag -PassThru: the tags this run added.</summary>
    public string[] Added { get; set; } = [];

    /// <summary>Set by Set-/Remove-MediaXmpTag -PassThru: the tags this run removed.</summary>
    public string[] Removed { get; set; } = [];

    public override string ToString() => Path;
}

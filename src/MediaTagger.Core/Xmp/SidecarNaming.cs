namespace MediaTagger.Core.Xmp;

/// <summary>How a sidecar is named after its media file.</summary>
public enum SidecarNaming
{
    /// <summary>IMG_1234.JPG → IMG_1234.xmp (Lightroom, digiKam, Immich; RAW+JPEG pairs share one sidecar).</summary>
    Basename,

    /// <summary>IMG_1234.JPG → IMG_1234.JPG.xmp (darktable reads only this form; digiKam and Immich read both).</summary>
    FullName,
}

/// <summary>What dc:subject (flat keywords) receives for a hierarchical tag.</summary>
public enum SubjectLevels
{
    /// <summary>Every level of the path (Dogs|Teddy → Dogs, Teddy), as darktable writes.</summary>
    AllLevels,

    /// <summary>Only the last level (Dogs|Teddy → Teddy), as Lightroom writes by default.</summary>
    Leaf,
}

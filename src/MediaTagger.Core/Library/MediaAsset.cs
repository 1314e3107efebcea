using System.Text.Json.Serialization;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Library;

/// <summary>
/// One image or video of a library. The JSON names are those of the concept document's assets.json
/// (id, absolutePath, relativePath, type, ext) plus size and modified time; later stages add their own state.
/// </summary>
public class MediaAsset
{
    /// <summary>SHA-1 of <see cref="RelativePath"/> (see <see cref="AssetId"/>).</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    [JsonPropertyName("absolutePath")] public string Path { get; set; } = "";

    /// <summary>Root-relative path with '/' separators.</summary>
    [JsonPropertyName("relativePath")] public string RelativePath { get; set; } = "";

    [JsonPropertyName("type")] public MediaType Type { get; set; }

    /// <summary>Lower-case extension without the dot.</summary>
    [JsonPropertyName("ext")] public string Extension { get; set; } = "";

    [JsonPropertyName("size")] public long Length { get; set; }

    [JsonPropertyName("modified")] public DateTime LastWriteTimeUtc { get; set; }

    [JsonIgnore] public DateTime LastWriteTime => LastWriteTimeUtc.ToLocalTime();

    [JsonIgnore] public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Root of the library the asset belongs to.</summary>
    [JsonIgnore] public string LibraryRoot { get; set; } = "";

    /// <summary>Store folder of that library (usually <c>&lt;root&gt;/.mediatagger</c>).</summary>
    [JsonIgnore] public string StorePath { get; set; } = "";

    /// <summary>State of the representative JPEG(s); null until New-MediaRep has run.</summary>
    [JsonPropertyName("rep")] public RepInfo? Rep { get; set; }

    /// <summary>The representative JPEG (first frame for videos) when one was rendered successfully.</summary>
    [JsonIgnore] public string? RepPath => Rep is { Failed: false } ? System.IO.Path.Combine(MediaLibrary.RepsFolder(StorePath), RepInfo.FileName(Id)) : null;

    /// <summary>Every rep file of the asset, frame 1 first.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> RepFramePaths => Rep is { Failed: false } rep
        ? Enumerable.Range(1, Math.Max(1, rep.Frames)).Select(f => System.IO.Path.Combine(MediaLibrary.RepsFolder(StorePath), RepInfo.FileName(Id, f))).ToList()
        : [];

    /// <summary>Set by Invoke-MediaReview: true when a person approved the asset, false when rejected; null when not reviewed.</summary>
    [JsonIgnore] public bool? Approved { get; set; }

    /// <summary>How the last scan saw this asset; not persisted.</summary>
    [JsonIgnore] public ScanState ScanState { get; set; }

    /// <summary>Creates an asset for a file found at <paramref name="fullPath"/> in <paramref name="library"/>.</summary>
    public static MediaAsset Create(MediaLibrary library, string fullPath, MediaType type, long length, DateTime lastWriteTimeUtc) =>
        Create(library, fullPath, library.RelativePathOf(fullPath), type, length, lastWriteTimeUtc);

    /// <summary>As above, for a caller (the scanner) that already knows the relative path.</summary>
    public static MediaAsset Create(MediaLibrary library, string fullPath, string relativePath, MediaType type, long length, DateTime lastWriteTimeUtc) => new()
    {
        Id = AssetId.For(relativePath),
        Path = fullPath,
        RelativePath = relativePath,
        Type = type,
        Extension = MediaExtensions.ExtensionOf(fullPath),
        Length = length,
        LastWriteTimeUtc = DateTime.SpecifyKind(lastWriteTimeUtc, DateTimeKind.Utc),
        LibraryRoot = library.Root,
        StorePath = library.StorePath,
    };

    /// <summary>Points the asset at <paramref name="library"/> (its path follows the root, so a moved library keeps working).</summary>
    public MediaAsset AttachTo(MediaLibrary library)
    {
        LibraryRoot = library.Root;
        StorePath = library.StorePath;
        Path = library.FullPathOf(RelativePath);
        return this;
    }

    /// <summary>Copies every field into <paramref name="target"/>; derived types (matches) use it to carry the asset along.</summary>
    public void CopyTo(MediaAsset target)
    {
        foreach (var p in typeof(MediaAsset).GetProperties())
            if (p.CanWrite && p.CanRead) p.SetValue(target, p.GetValue(this));
    }

    /// <summary>A shallow copy (same type, same state).</summary>
    public MediaAsset Clone() => (MediaAsset)MemberwiseClone();

    public override string ToString() => Path;
}

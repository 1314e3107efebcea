using System.Text.Json.Serialization;

namespace MediaTagger.Core.Library;

/// <summary>
/// One image or video of a library: catalog facts only, immutable. The JSON names are those of the concept
/// document's assets.json (id, absolutePath, relativePath, type, ext) plus size and modified time.
/// Setters are internal: PowerShell can set a public init accessor, and a catalog shares its instances.
/// What later stages learn (scan state, rep, score, review decision) travels in derived records that copy these
/// facts (<see cref="ScannedAsset"/>, Reps.MediaRep, Search.MediaMatch), so a catalog can hand out its own instances
/// and no command can change what another one sees.
/// </summary>
public record MediaAsset
{
    /// <summary>SHA-1 of <see cref="RelativePath"/> (see <see cref="AssetId"/>).</summary>
    [JsonPropertyName("id")] [JsonInclude] public string Id { get; internal init; } = "";

    [JsonPropertyName("absolutePath")] [JsonInclude] public string Path { get; internal init; } = "";

    /// <summary>Root-relative path with '/' separators.</summary>
    [JsonPropertyName("relativePath")] [JsonInclude] public string RelativePath { get; internal init; } = "";

    [JsonPropertyName("type")] [JsonInclude] public MediaType Type { get; internal init; }

    /// <summary>Lower-case extension without the dot.</summary>
    [JsonPropertyName("ext")] [JsonInclude] public string Extension { get; internal init; } = "";

    [JsonPropertyName("size")] [JsonInclude] public long Length { get; internal init; }

    [JsonPropertyName("modified")] [JsonInclude] public DateTime LastWriteTimeUtc { get; internal init; }

    [JsonIgnore] public DateTime LastWriteTime => LastWriteTimeUtc.ToLocalTime();

    [JsonIgnore] public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Root of the library the asset belongs to.</summary>
    [JsonIgnore] public string LibraryRoot { get; internal init; } = "";

    /// <summary>Store folder of that library (usually <c>&lt;root&gt;/.mediatagger</c>).</summary>
    [JsonIgnore] public string StorePath { get; internal init; } = "";

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

    /// <summary>A copy pointed at <paramref name="library"/> (its path follows the root, so a moved library keeps working).</summary>
    public MediaAsset AttachTo(MediaLibrary library) => this with
    {
        LibraryRoot = library.Root,
        StorePath = library.StorePath,
        Path = library.FullPathOf(RelativePath),
        Id = string.IsNullOrEmpty(Id) ? AssetId.For(RelativePath) : Id,
    };

    /// <summary>The catalog facts alone, without what a derived record adds (a scan state, a score).</summary>
    public MediaAsset ToAsset() => GetType() == typeof(MediaAsset) ? this : new MediaAsset(this);

    // Sealed, so derived records print the path too (a record would otherwise print every member).
    public sealed override string ToString() => Path;
}

/// <summary>An asset as a scan saw it: the catalog facts and how they compare with the catalog it had.</summary>
public sealed record ScannedAsset : MediaAsset
{
    public ScannedAsset(MediaAsset asset, ScanState scanState) : base(asset.ToAsset()) => ScanState = scanState;

    public ScanState ScanState { get; }
}

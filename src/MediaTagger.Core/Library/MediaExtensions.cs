using System.Collections.Frozen;

namespace MediaTagger.Core.Library;

/// <summary>The file extensions cameras and phones produce, mapped to image or video (case-insensitive).</summary>
public static class MediaExtensions
{
    public static readonly FrozenSet<string> Raw = new[]
    {
        "dng", "cr2", "cr3", "nef", "arw", "orf", "rw2", "raf", "srw", "pef",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    static readonly string[] ImageExtensions =
    [
        "jpg", "jpeg", "png", "tif", "tiff", "webp", "gif", "bmp", "heic", "heif", "avif", "psd", .. Raw,
    ];

    static readonly string[] VideoExtensions =
    [
        "mp4", "mov", "m4v", "avi", "mkv", "mts", "m2ts", "3gp", "wmv", "webm",
    ];

    static readonly FrozenDictionary<string, MediaType> ByExtension =
        ImageExtensions.Select(e => KeyValuePair.Create(e, MediaType.Image))
            .Concat(VideoExtensions.Select(e => KeyValuePair.Create(e, MediaType.Video)))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> All => ByExtension.Keys;

    /// <summary>The media type of a file name or path, or null when it is not media we handle.</summary>
    public static MediaType? TypeOf(ReadOnlySpan<char> fileName)
    {
        var dot = fileName.LastIndexOf('.');
        // Longer suffixes ("backup", "xmp~") are never media; skip the allocation for them.
        if (dot < 0 || fileName.Length - dot - 1 is < 2 or > 4) return null;
        return ByExtension.TryGetValue(fileName[(dot + 1)..].ToString(), out var t) ? t : null;
    }

    /// <summary>The extension without its dot, lower-cased, as the catalog records it.</summary>
    public static string ExtensionOf(string fileName) =>
        System.IO.Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();

    public static bool IsRaw(string extension) => Raw.Contains(extension.TrimStart('.'));
}

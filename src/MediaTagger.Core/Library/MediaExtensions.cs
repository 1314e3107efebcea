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

    /// <summary>
    /// The same table keyed by the extension packed into a number (up to 4 lower-cased ASCII letters, 16 bits each), so a
    /// scan can look up every file name without allocating the extension, and every asset shares one string per extension.
    /// </summary>
    static readonly Dictionary<ulong, (MediaType Type, string Extension)> ByKey =
        ByExtension.ToDictionary(e => Key(e.Key), e => (e.Value, e.Key));

    /// <summary>The key of an extension of 2 to 4 ASCII characters (case-insensitive); 0 for anything else.</summary>
    static ulong Key(ReadOnlySpan<char> extension)
    {
        if (extension.Length is < 2 or > 4) return 0;
        ulong key = 0;
        foreach (var c in extension)
        {
            if (c > 127) return 0;
            key = key << 16 | char.ToLowerInvariant(c);
        }
        return key;
    }

    /// <summary>The media type of a file name or path, or null when it is not media we handle.</summary>
    public static MediaType? TypeOf(ReadOnlySpan<char> fileName) =>
        ByKey.TryGetValue(Key(Suffix(fileName)), out var e) ? e.Type : null;

    /// <summary>The extension without its dot, lower-cased, as the catalog records it.</summary>
    public static string ExtensionOf(string fileName)
    {
        var suffix = Suffix(fileName);
        return ByKey.TryGetValue(Key(suffix), out var e) ? e.Extension : suffix.ToString().ToLowerInvariant();
    }

    /// <summary>What follows the last dot of the file name (empty when there is none).</summary>
    static ReadOnlySpan<char> Suffix(ReadOnlySpan<char> path)
    {
        var name = System.IO.Path.GetFileName(path);
        var dot = name.LastIndexOf('.');
        return dot < 0 ? default : name[(dot + 1)..];
    }

    public static bool IsRaw(string extension) => Raw.Contains(extension.TrimStart('.'));
}

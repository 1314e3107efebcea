using MediaTagger.Core.Common;

namespace MediaTagger.Core.Library;

/// <summary>What a command knows when it needs its library; every path is already absolute.</summary>
public sealed record LibraryQuery
{
    /// <summary>-Library, when given.</summary>
    public string? Library { get; init; }

    /// <summary>-StorePath, when given.</summary>
    public string? StorePath { get; init; }

    /// <summary>Piped assets (they know their library).</summary>
    public IReadOnlyList<MediaAsset> Assets { get; init; } = [];

    /// <summary>Paths the command was given: files, folders, anchors, piped items.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>The PowerShell location.</summary>
    public string? CurrentFolder { get; init; }

    /// <summary>Libraries this session has opened (their -StorePath may lie outside the root, where no walk finds it).</summary>
    public IReadOnlyList<MediaLibrary> Known { get; init; } = [];

    /// <summary>The library the session used last.</summary>
    public MediaLibrary? Last { get; init; }
}

/// <summary>
/// The one rule every command follows to find its library: an explicit -Library; else the library that holds the
/// piped items, the given paths or the current folder (the nearest enclosing folder with a store); else the
/// session's last; else an error that says how to start one. Locating never creates anything.
/// </summary>
public static class LibraryLocator
{
    /// <exception cref="MediaTaggerException">No library can be found, or -Library names a folder that is not one.</exception>
    public static MediaLibrary Locate(LibraryQuery query) =>
        TryLocate(query) ?? throw new MediaTaggerException(ErrorIds.LibraryNotSpecified,
            (query.CurrentFolder is { } here ? $"No library here: '{here}' is not inside a library" : "No library given")
            + " and none was used in this session. Start one by scanning the folder that holds your photos"
            + " (Get-MediaAsset -Path <folder>), or name one with -Library <folder>.",
            ErrorKind.InvalidArgument);

    /// <summary>As <see cref="Locate"/>, but null instead of the "no library" error (an explicit -Library still throws when wrong).</summary>
    public static MediaLibrary? TryLocate(LibraryQuery query)
    {
        if (query.Library is { } explicitRoot) return Explicit(explicitRoot, query.StorePath, query.Known);
        foreach (var asset in query.Assets)
            if (!string.IsNullOrEmpty(asset.LibraryRoot) && !string.IsNullOrEmpty(asset.StorePath))
                return MediaLibrary.Open(asset.LibraryRoot, asset.StorePath);
        foreach (var path in query.Paths)
            if (Holding(path, query.Known) is { } library) return library;
        if (query.CurrentFolder is { } current && Holding(current, query.Known) is { } here) return here;
        return query.Last;
    }

    /// <summary>The library that holds <paramref name="path"/> (file or folder, existing or not): a known one, else the nearest folder with a store.</summary>
    public static MediaLibrary? Holding(string path, IReadOnlyList<MediaLibrary> known)
    {
        var full = Path.GetFullPath(path);
        MediaLibrary? best = null;
        foreach (var k in known)
            if ((k.Contains(full) || MediaLibrary.PathComparer.Equals(Path.TrimEndingDirectorySeparator(full), k.Root)) && (best is null || k.Root.Length > best.Root.Length))
                best = k;
        var root = MediaLibrary.FindRoot(full);
        if (root is not null && (best is null || root.Length > best.Root.Length)) return MediaLibrary.Open(root);
        return best;
    }

    static MediaLibrary Explicit(string root, string? storePath, IReadOnlyList<MediaLibrary> known)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(full))
            throw new MediaTaggerException(ErrorIds.LibraryNotFound, $"The library folder '{full}' was not found.", ErrorKind.ObjectNotFound, full);
        if (storePath is not null) return MediaLibrary.Open(full, storePath);
        var own = known.FirstOrDefault(k => MediaLibrary.PathComparer.Equals(k.Root, full));
        if (own is not null) return own;
        var library = MediaLibrary.Open(full);
        if (!Directory.Exists(library.StorePath) && Path.GetDirectoryName(full) is { } parent && Holding(parent, known) is { } outer)
            throw new MediaTaggerException(ErrorIds.LibraryNested,
                $"'{full}' is a folder inside the library '{outer.Root}', not a library of its own. Use -Library '{outer.Root}'"
                + $" (to scan only this folder: Get-MediaAsset -Path '{full}').",
                ErrorKind.InvalidArgument, full);
        return library;
    }
}

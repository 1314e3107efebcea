namespace MediaTagger.Core.Library;

/// <summary>A library root and the store folder that holds everything MediaTagger writes about it.</summary>
public sealed class MediaLibrary : IEquatable<MediaLibrary>
{
    public const string StoreFolderName = ".mediatagger";

    MediaLibrary(string root, string storePath)
    {
        Root = root;
        StorePath = storePath;
    }

    /// <summary>Absolute path of the library root, without a trailing separator.</summary>
    public string Root { get; }

    /// <summary>Absolute path of the store: <c>&lt;root&gt;/.mediatagger</c> unless the user put it elsewhere.</summary>
    public string StorePath { get; }

    public string DataPath => Path.Combine(StorePath, "data");
    public string AssetsFile => Path.Combine(DataPath, "assets.json");
    public string RepsPath => RepsFolder(StorePath);

    /// <summary>Where reps live for a store; assets carry only their store path.</summary>
    public static string RepsFolder(string storePath) => Path.Combine(storePath, "derivatives", "reps");
    public string EmbeddingsRoot => Path.Combine(DataPath, "embeddings");
    public string ReviewsPath => Path.Combine(DataPath, "reviews");
    public string LastQueryFile => Path.Combine(DataPath, "last_query.json");
    public string TagJournalFile => Path.Combine(DataPath, "tag-journal.jsonl");

    /// <summary>Opens (without creating anything) the library rooted at <paramref name="root"/>.</summary>
    public static MediaLibrary Open(string root, string? storePath = null)
    {
        var full = Normalize(root);
        return new MediaLibrary(full, storePath is null ? Path.Combine(full, StoreFolderName) : Normalize(storePath));
    }

    /// <summary>The nearest ancestor of <paramref name="path"/> (itself included when it is a folder) that holds a store; null when none does.</summary>
    public static string? FindRoot(string path)
    {
        var dir = Directory.Exists(path) ? Normalize(path) : Path.GetDirectoryName(Normalize(path));
        for (; dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.Exists(Path.Combine(dir, StoreFolderName))) return dir;
        return null;
    }

    /// <summary>True when <paramref name="fullPath"/> lies inside the root (and is not the root itself).</summary>
    public bool Contains(string fullPath) =>
        fullPath.Length > Root.Length + 1
        && fullPath.StartsWith(Root, PathComparison)
        && (fullPath[Root.Length] == Path.DirectorySeparatorChar || fullPath[Root.Length] == Path.AltDirectorySeparatorChar || Root.EndsWith(Path.DirectorySeparatorChar));

    /// <summary>The root-relative path with '/' separators, the form ids and the catalog use.</summary>
    public string RelativePathOf(string fullPath)
    {
        var rel = fullPath.AsSpan(Root.Length).TrimStart(Path.DirectorySeparatorChar).TrimStart(Path.AltDirectorySeparatorChar).ToString();
        return Path.DirectorySeparatorChar == '/' ? rel : rel.Replace(Path.DirectorySeparatorChar, '/');
    }

    public string FullPathOf(string relativePath) =>
        Path.Combine(Root, Path.DirectorySeparatorChar == '/' ? relativePath : relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static StringComparison PathComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public static StringComparer PathComparer =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        var trimmed = Path.TrimEndingDirectorySeparator(full);
        return trimmed.Length == 0 ? full : trimmed;
    }

    public bool Equals(MediaLibrary? other) => other is not null && PathComparer.Equals(Root, other.Root) && PathComparer.Equals(StorePath, other.StorePath);
    public override bool Equals(object? obj) => Equals(obj as MediaLibrary);
    public override int GetHashCode() => PathComparer.GetHashCode(Root);
    public override string ToString() => Root;
}

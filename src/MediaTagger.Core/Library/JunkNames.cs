namespace MediaTagger.Core.Library;

/// <summary>Names that are never photos a person took: hidden names and OS, NAS and sync-tool folders.</summary>
static class JunkNames
{
    static readonly HashSet<string> Folders = new(StringComparer.OrdinalIgnoreCase)
    {
        "@eaDir", "#recycle", "#snapshot", "$RECYCLE.BIN", "System Volume Information", "lost+found", "@Recycle", "@Recently-Snapshot",
    };

    /// <summary>
    /// Dot-names (Unix hidden, AppleDouble "._x", ".mediatagger"), Windows hidden/system entries and the folders above.
    /// Junk files such as Thumbs.db never carry a media extension, so the extension filter already drops them.
    /// </summary>
    public static bool IsJunk(ReadOnlySpan<char> name, bool isDirectory, FileAttributes attributes) =>
        name.StartsWith(".")
        || (OperatingSystem.IsWindows() && (attributes & (FileAttributes.Hidden | FileAttributes.System)) != 0)
        || (isDirectory && Folders.Contains(name.ToString()));
}

using MediaTagger.Core.Common;

namespace MediaTagger.Core.Xmp;

/// <summary>
/// Reads and replaces sidecar files. A replacement goes through a temporary file named (in advance, in the journal)
/// <c>.NAME.xmp.mediatagger-XXXXXXXX.tmp</c> beside the file it replaces, so recovery knows every temporary file we
/// made. A sidecar that is a symbolic link is written through to its target, never replaced by a regular file.
/// </summary>
public static class SidecarFile
{
    /// <summary>Sidecars are a few kilobytes (Lightroom's with develop settings some hundreds); anything far larger is not one.</summary>
    const long MaxSidecarBytes = 32 << 20;

    const string TempMarker = ".mediatagger-";

    /// <summary>The sidecar's bytes, or null when there is none.</summary>
    /// <exception cref="MediaTaggerException">It cannot be read, is far too large, or is a link to nothing.</exception>
    public static byte[]? Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            FileKind.ThrowIfNotRegular(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
                throw new MediaTaggerException(ErrorIds.XmpSidecarUnreadable, $"The sidecar '{path}' is a symbolic link to '{info.LinkTarget}', which does not exist; it was left untouched.", ErrorKind.ObjectNotFound, path);
            if (info.Length > MaxSidecarBytes)
                throw new MediaTaggerException(ErrorIds.XmpSidecarUnreadable, $"'{path}' is {info.Length / (1 << 20):N0} MB, far too large for an XMP sidecar; it was left untouched.", ErrorKind.InvalidData, path);
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.XmpSidecarUnreadable, $"The sidecar '{path}' cannot be read: {ex.Message}", ErrorKind.ReadError, path, ex);
        }
    }

    /// <summary>
    /// The file a write to <paramref name="path"/> replaces: the path itself, or, when it is a symbolic link, the regular
    /// file it finally points to (the link stays a link and the target gets the tags).
    /// </summary>
    /// <exception cref="MediaTaggerException">A link to nothing, to a folder, or a loop.</exception>
    public static string WriteTarget(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return path;
        FileSystemInfo? target;
        try { target = info.ResolveLinkTarget(returnFinalTarget: true); }
        catch (IOException ex) { throw Refused(path, $"its link cannot be followed ({ex.Message})", ex); }
        if (target is null || !target.Exists || target.Attributes.HasFlag(FileAttributes.Directory))
            throw Refused(path, $"it is a symbolic link to '{info.LinkTarget}', which is not an existing regular file", null);
        return target.FullName;
    }

    static MediaTaggerException Refused(string path, string why, Exception? inner) =>
        new(ErrorIds.XmpSidecarSymlinkRefused, $"The sidecar '{path}' was not written: {why}. It was left untouched; point the link at a sidecar file or replace it with one.", ErrorKind.InvalidData, path, inner);

    /// <summary>The temporary name a replacement of <paramref name="target"/> is written under before the rename.</summary>
    public static string TempNameFor(string target)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(target))!;
        return Path.Combine(dir, "." + Path.GetFileName(target) + TempMarker + Guid.NewGuid().ToString("N")[..8] + ".tmp");
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="temp"/>, flushes it to disk and renames it over
    /// <paramref name="target"/>. A sidecar its owner made read-only is refused (the rename would bypass that), and a
    /// replaced one keeps its permissions.
    /// </summary>
    public static void Replace(string target, string temp, byte[] bytes)
    {
        try
        {
            var existing = new FileInfo(target);
            UnixFileMode? mode = null;
            if (existing.Exists)
            {
                if (existing.IsReadOnly || (!OperatingSystem.IsWindows() && (existing.UnixFileMode & UnixFileMode.UserWrite) == 0))
                    throw new MediaTaggerException(ErrorIds.XmpSidecarWriteFailed, $"The sidecar '{target}' is read-only; it was left untouched. Make it writable to tag this file.", ErrorKind.PermissionDenied, target);
                if (!OperatingSystem.IsWindows()) mode = existing.UnixFileMode;
            }
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 12))
                {
                    fs.Write(bytes);
                    fs.Flush(flushToDisk: true);
                }
                if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, m);
                File.Move(temp, target, overwrite: true);
            }
            catch
            {
                AtomicFile.TryDelete(temp);
                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.XmpSidecarWriteFailed, $"The sidecar '{target}' cannot be written: {ex.Message}", ErrorKind.WriteError, target, ex);
        }
    }

    /// <summary>Deletes a sidecar our own write created (undo of a creation).</summary>
    public static void Delete(string path)
    {
        try { File.Delete(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.XmpSidecarWriteFailed, $"The sidecar '{path}' cannot be deleted: {ex.Message}", ErrorKind.WriteError, path, ex);
        }
    }
}

using System.Runtime.InteropServices;

namespace MediaTagger.Core.Common;

/// <summary>
/// Tells a regular file from a FIFO, socket or device without opening it: open() on a FIFO blocks until a writer
/// appears, in a system call that Ctrl+C cannot interrupt, so such a file must never reach a decoder or reader.
/// </summary>
public static unsafe partial class FileKind
{
    const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_STATX_DONT_SYNC = 0x4000;
    const uint STATX_TYPE = 0x1;
    const int S_IFMT = 0xF000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFBLK = 0x6000, S_IFREG = 0x8000, S_IFSOCK = 0xC000;

    static bool _unavailable;

    /// <summary>
    /// What <paramref name="path"/> is when it is not a regular file ("a named pipe (FIFO)", "a socket", ...), following
    /// symbolic links; null for a regular file, a missing one, or where this cannot be told (then callers go on as before).
    /// </summary>
    public static string? NotRegular(string path)
    {
        if (!OperatingSystem.IsLinux() || _unavailable) return null;
        var buffer = stackalloc byte[256];
        try
        {
            if (statx(AT_FDCWD, path, AT_STATX_DONT_SYNC, STATX_TYPE, buffer) != 0) return null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        // struct statx: stx_mode (u16) at offset 28.
        return (*(ushort*)(buffer + 28) & S_IFMT) switch
        {
            S_IFREG => null,
            S_IFIFO => "a named pipe (FIFO)",
            S_IFSOCK => "a socket",
            S_IFCHR => "a character device",
            S_IFBLK => "a block device",
            S_IFDIR => "a folder",
            _ => null,
        };
    }

    /// <summary>The error for <paramref name="path"/> when it is not a regular file; null when it is one.</summary>
    public static MediaTaggerException? Check(string path) => NotRegular(path) is { } kind ? Error(path, kind) : null;

    /// <summary>The one error for a non-regular <paramref name="path"/>; <paramref name="kind"/> as <see cref="NotRegular"/> says it.</summary>
    public static MediaTaggerException Error(string path, string kind) =>
        new(ErrorIds.NotRegularFile, $"'{path}' is {kind}, not a regular file; MediaTagger does not open it.", ErrorKind.InvalidData, path);

    /// <exception cref="MediaTaggerException">MediaNotRegularFile when <paramref name="path"/> is a FIFO, socket, device or folder.</exception>
    public static void ThrowIfNotRegular(string path)
    {
        if (Check(path) is { } error) throw error;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}

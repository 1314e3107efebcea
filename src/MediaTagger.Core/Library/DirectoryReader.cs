using System.IO.Enumeration;
using System.Runtime.InteropServices;

namespace MediaTagger.Core.Library;

/// <summary>What a scan needs to know of one directory entry.</summary>
struct DirEntry
{
    public string Name;
    public bool IsDirectory;
    public bool IsLink;
    public FileAttributes Attributes;
    public MediaType? Type;
    public long Length;
    public DateTime LastWriteTimeUtc;
    public Exception? StatError;
    /// <summary>Set for a FIFO, socket or device with a media name: it is reported, never opened.</summary>
    public string? NotRegular;
}

/// <summary>
/// Lists one folder. Only media files pay for a stat (size and time); everything else is judged by name and d_type.
/// On Linux this reads the directory with readdir and stats with statx relative to the open directory, which is
/// ~1.5x cheaper than the portable path (no full-path resolution per file); elsewhere it uses FileSystemEnumerable.
/// </summary>
static class DirectoryReader
{
    static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    static bool _nativeFailed;

    /// <summary>Appends the entries of <paramref name="dir"/>; throws UnauthorizedAccessException/IOException when it cannot be read.</summary>
    public static void Read(string dir, List<DirEntry> into)
    {
        if (OperatingSystem.IsLinux() && !_nativeFailed)
        {
            try
            {
                LinuxDirectoryReader.Read(dir, into);
                return;
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                // A libc without statx (glibc < 2.28): use the portable path from now on.
                _nativeFailed = true;
                into.Clear();
            }
        }
        foreach (var e in new FileSystemEnumerable<DirEntry>(dir, ToEntry, OneLevel)) into.Add(e);
    }

    static DirEntry ToEntry(ref FileSystemEntry e)
    {
        var entry = new DirEntry { Name = e.FileName.ToString(), IsDirectory = e.IsDirectory };
        if (entry.IsDirectory)
        {
            entry.Attributes = e.Attributes;
            entry.IsLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            return entry;
        }
        entry.Type = MediaExtensions.TypeOf(entry.Name);
        if (entry.Type is null) return entry;
        try
        {
            entry.Attributes = e.Attributes;
            entry.IsLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            if (!entry.IsLink)
            {
                entry.Length = e.Length;
                entry.LastWriteTimeUtc = e.LastWriteTimeUtc.UtcDateTime;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            entry.StatError = ex;
        }
        return entry;
    }
}

static unsafe partial class LinuxDirectoryReader
{
    const byte DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;
    const int AT_SYMLINK_NOFOLLOW = 0x100, AT_STATX_DONT_SYNC = 0x4000;
    const uint STATX_TYPE = 0x1, STATX_MTIME = 0x40, STATX_SIZE = 0x200;
    const int S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFLNK = 0xA000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFSOCK = 0xC000;
    const int EACCES = 13, EPERM = 1, ENOENT = 2, ENAMETOOLONG = 36;

    // glibc/musl struct dirent on 64-bit Linux: d_ino(8) d_off(8) d_reclen(2) d_type(1) d_name[].
    const int DTypeOffset = 18, DNameOffset = 19;

    // Optimised from the first call, as LibraryScanner.ReadFolder (a first scan runs it for every folder).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Read(string dir, List<DirEntry> into)
    {
        var handle = opendir(dir);
        if (handle == IntPtr.Zero) throw ErrorFor(Marshal.GetLastPInvokeError(), dir);
        try
        {
            var fd = dirfd(handle);
            var statBuffer = stackalloc byte[256];
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var ent = (byte*)readdir(handle);
                if (ent == null)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != 0) throw ErrorFor(errno, dir);
                    break;
                }
                var namePtr = ent + DNameOffset;
                if (namePtr[0] == '.' && (namePtr[1] == 0 || (namePtr[1] == '.' && namePtr[2] == 0))) continue;
                var type = ent[DTypeOffset];
                var entry = new DirEntry { Name = Marshal.PtrToStringUTF8((IntPtr)namePtr)! };
                if (type == DT_UNKNOWN)
                {
                    // Some file systems do not report the type: ask.
                    if (statx(fd, namePtr, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_TYPE, statBuffer) == 0)
                    {
                        var mode = *(ushort*)(statBuffer + 28) & S_IFMT;
                        type = mode switch
                        {
                            S_IFDIR => DT_DIR,
                            S_IFLNK => DT_LNK,
                            S_IFIFO => DT_FIFO,
                            S_IFCHR => DT_CHR,
                            S_IFBLK => DT_BLK,
                            S_IFSOCK => DT_SOCK,
                            _ => DT_REG,
                        };
                    }
                }
                if (type == DT_DIR)
                {
                    entry.IsDirectory = true;
                    into.Add(entry);
                    continue;
                }
                entry.Type = MediaExtensions.TypeOf(entry.Name);
                if (type == DT_LNK)
                {
                    // Links are resolved by the scanner (dangling links, loops); whether it is a folder decides how.
                    entry.IsLink = true;
                    entry.IsDirectory = Directory.Exists(Path.Join(dir, entry.Name));
                    if (entry.IsDirectory || entry.Type is not null) into.Add(entry);
                    continue;
                }
                if (entry.Type is null) continue;
                entry.NotRegular = type switch
                {
                    DT_FIFO => "a named pipe (FIFO)",
                    DT_SOCK => "a socket",
                    DT_CHR => "a character device",
                    DT_BLK => "a block device",
                    _ => null,
                };
                if (statx(fd, namePtr, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_SIZE | STATX_MTIME, statBuffer) == 0)
                {
                    // struct statx: stx_size at 40, stx_mtime {s64 tv_sec; u32 tv_nsec} at 112.
                    entry.Length = *(long*)(statBuffer + 40);
                    var seconds = *(long*)(statBuffer + 112);
                    var nanos = *(uint*)(statBuffer + 120);
                    entry.LastWriteTimeUtc = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanos / 100);
                }
                else
                {
                    entry.StatError = ErrorFor(Marshal.GetLastPInvokeError(), Path.Join(dir, entry.Name));
                }
                into.Add(entry);
            }
        }
        finally
        {
            closedir(handle);
        }
    }

    static Exception ErrorFor(int errno, string path) => errno switch
    {
        EACCES or EPERM => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
        ENOENT => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
        ENAMETOOLONG => new PathTooLongException($"The path '{path}' is too long."),
        _ => new IOException($"{Marshal.GetPInvokeErrorMessage(errno)}: '{path}'", errno),
    };

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr opendir(string name);

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr readdir(IntPtr dir);

    [LibraryImport("libc")]
    private static partial int closedir(IntPtr dir);

    [LibraryImport("libc")]
    private static partial int dirfd(IntPtr dir);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);
}

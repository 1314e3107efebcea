using System.Runtime.InteropServices;

namespace MediaTagger.Core.Common;

/// <summary>Writes files so that a crash or Ctrl+C at any moment leaves either the old or the new content, never a mix.</summary>
public static partial class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into a temporary sibling, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    /// <param name="flushToDisk">False skips the fsync for files that can be regenerated (reps): a crash may then leave the
    /// new file empty, never half-written, and the caller must treat an empty file as missing.</param>
    public static void Write(string path, Action<Stream> write, bool flushToDisk = true)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = TempNameFor(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk);
            }
            MoveInto(tmp, path, flushed: flushToDisk);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Creates the temporary sibling of <paramref name="path"/> now, to be filled and swapped in later by
    /// <see cref="PendingFile.Commit"/> (without fsync, as <see cref="Write"/> with flushToDisk false). Creating a file
    /// is most of the system time of a small write, and a caller can do it on another thread while it computes the content.
    /// </summary>
    public static PendingFile Prepare(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var tmp = TempNameFor(full);
        return new PendingFile(full, tmp, File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None));
    }

    /// <summary>A file created by <see cref="Prepare"/>: Commit replaces the target with its content; Dispose without Commit deletes it.</summary>
    public sealed class PendingFile : IDisposable
    {
        readonly string _tmp;
        Microsoft.Win32.SafeHandles.SafeFileHandle? _handle;

        internal PendingFile(string path, string tmp, Microsoft.Win32.SafeHandles.SafeFileHandle handle) => (Path, _tmp, _handle) = (path, tmp, handle);

        /// <summary>The file this one replaces.</summary>
        public string Path { get; }

        /// <summary>Writes <paramref name="bytes"/> in one call and replaces <see cref="Path"/> with them in one step.</summary>
        public void Commit(ReadOnlySpan<byte> bytes)
        {
            var handle = _handle ?? throw new ObjectDisposedException(nameof(PendingFile));
            try
            {
                RandomAccess.Write(handle, bytes, 0);
                handle.Dispose();
                MoveInto(_tmp, Path, flushed: false);
            }
            catch
            {
                handle.Dispose();
                TryDelete(_tmp);
                throw;
            }
            finally { _handle = null; }
        }

        public void Dispose()
        {
            if (_handle is null) return;
            _handle.Dispose();
            _handle = null;
            TryDelete(_tmp);
        }
    }

    /// <summary>Renames the written <paramref name="tmp"/> over <paramref name="path"/>, swapping an unflushed file in (see <see cref="ExchangeInto"/>).</summary>
    static void MoveInto(string tmp, string path, bool flushed)
    {
        if (flushed || !ExchangeInto(tmp, path)) File.Move(tmp, path, overwrite: true);
    }

    /// <summary>
    /// Swaps an unflushed new file with the existing <paramref name="path"/> in one atomic step and deletes the old
    /// content (now under the temporary name). ext4 flushes a file renamed over another (auto_da_alloc), which made
    /// replacing last_query.json cost more than writing it; an exchange is not a replacement. False when the swap is not
    /// available (not Linux, no such file yet, a file system without it) or <paramref name="path"/> is a folder (which a
    /// rename refuses, and a swap would move): then the caller renames as usual.
    /// </summary>
    static bool ExchangeInto(string tmp, string path)
    {
        if (!OperatingSystem.IsLinux() || _noExchange || Directory.Exists(path)) return false;
        try
        {
            if (renameat2(AtCwd, tmp, AtCwd, path, RenameExchange) != 0) return false;
        }
        catch (EntryPointNotFoundException)
        {
            _noExchange = true; // a C library older than renameat2 (glibc 2.28)
            return false;
        }
        TryDelete(tmp);
        return true;
    }

    static bool _noExchange;

    const int AtCwd = -100;
    const uint RenameExchange = 2;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>
    /// A unique temporary name beside <paramref name="path"/>: <c>.&lt;name&gt;.mt&lt;host&gt;-&lt;pid&gt;.&lt;random&gt;.tmp</c>. The leading dot
    /// keeps scanners from cataloguing it; host and process let <see cref="SweepDebris"/> tell a crashed writer's file
    /// from one a live writer is still filling.
    /// </summary>
    public static string TempNameFor(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        return System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(path)}.mt{HostTag}-{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
    }

    /// <summary>This machine, as 8 hex digits (temp names must stay short and free of odd characters).</summary>
    internal static readonly string HostTag = ((uint)Environment.MachineName.ToUpperInvariant().Aggregate(17, (h, c) => unchecked(h * 31 + c))).ToString("x8");

    static readonly System.Text.RegularExpressions.Regex TempName = new(
        @"^\..+?\.(?:mt(?<host>[0-9a-f]{8})-(?<pid>\d+)\.)?[0-9a-f]{8}\.tmp$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// Deletes the temporary files (<see cref="TempNameFor"/>) that writers which are gone left in <paramref name="folder"/>
    /// (not recursive): those of a process of this machine that no longer runs, those of another machine sharing the
    /// folder once a day old (its processes cannot be checked from here), and unmarked ones of older versions once an hour old.
    /// Returns how many were removed. Never throws: debris that cannot be removed now is removed by a later run.
    /// </summary>
    public static int SweepDebris(string folder)
    {
        var removed = 0;
        try
        {
            if (!Directory.Exists(folder)) return 0;
            foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
            {
                var m = TempName.Match(System.IO.Path.GetFileName(file));
                if (!m.Success) continue;
                var age = DateTime.UtcNow - File.GetLastWriteTimeUtc(file);
                var gone = !m.Groups["host"].Success ? age > TimeSpan.FromHours(1)
                    : m.Groups["host"].Value == HostTag ? !ProcessRuns(int.Parse(m.Groups["pid"].Value))
                    : age > TimeSpan.FromDays(1);
                if (!gone) continue;
                TryDelete(file);
                if (!File.Exists(file)) removed++;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return removed;
    }

    static bool ProcessRuns(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

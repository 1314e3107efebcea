namespace MediaTagger.Core.Common;

/// <summary>Writes files so that a crash or Ctrl+C at any moment leaves either the old or the new content, never a mix.</summary>
public static class AtomicFile
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
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>A unique temporary name beside <paramref name="path"/>; the leading dot keeps scanners from cataloguing it.</summary>
    public static string TempNameFor(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        return System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

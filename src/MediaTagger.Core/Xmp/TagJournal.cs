using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Xmp;

/// <summary>
/// The append-only record of sidecar writes (JSON lines). A library keeps it in its store (data/tag-journal.jsonl);
/// files outside any library are journaled in the per-user folder, so every write can be undone.
/// </summary>
public sealed class TagJournal : IDisposable
{
    static readonly byte[] NewLine = "\n"u8.ToArray();

    readonly FileStream _stream;
    readonly StoreLock _lock;
    readonly object _gate = new();

    TagJournal(string path, StoreLock storeLock, FileStream stream)
    {
        Path = path;
        _lock = storeLock;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>The journal of files that belong to no library.</summary>
    public static string UserJournalPath => System.IO.Path.Combine(UserPaths.Home, "tag-journal.jsonl");

    /// <summary>The journal of the library whose store is <paramref name="storePath"/>.</summary>
    public static string PathForStore(string storePath) => System.IO.Path.Combine(storePath, "data", "tag-journal.jsonl");

    /// <summary>Opens the journal for appending, holding the store's lock so two sessions never interleave lines.</summary>
    public static TagJournal OpenForAppend(string path, CancellationToken cancellationToken = default)
    {
        var storeLock = StoreLock.Acquire(path, cancellationToken: cancellationToken);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 12);
            // A crash mid-line leaves a partial last line: start on a fresh line so the next entry stays readable.
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                var last = stream.ReadByte();
                if (last != '\n') stream.Write(NewLine);
            }
            stream.Seek(0, SeekOrigin.End);
            return new TagJournal(path, storeLock, stream);
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <summary>Appends one entry as one line and flushes it (thread-safe).</summary>
    public void Append(TagJournalEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, Json.Compact);
        lock (_gate)
        {
            try
            {
                _stream.Write(line);
                _stream.Write(NewLine);
                _stream.Flush(flushToDisk: false);
            }
            catch (IOException ex)
            {
                throw new MediaTaggerException(ErrorIds.XmpJournalWriteFailed, $"The sidecar '{entry.Sidecar}' was written, but the tag journal '{Path}' could not record it ({ex.Message}), so this write cannot be undone.", ErrorKind.WriteError, entry.Sidecar, ex);
            }
        }
    }

    /// <summary>Every readable entry, oldest first; a line that does not parse (a crash mid-write) is reported and skipped.</summary>
    public static List<TagJournalEntry> Read(string path, Action<ItemError>? onError = null)
    {
        var entries = new List<TagJournalEntry>();
        if (!File.Exists(path)) return entries;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var entry = JsonSerializer.Deserialize<TagJournalEntry>(line, Json.Compact);
                if (entry is null || entry.Sidecar.Length == 0) throw new JsonException("not a journal entry");
                entry.Journal = path;
                entries.Add(entry);
            }
            catch (JsonException ex)
            {
                onError?.Invoke(new ItemError(ErrorIds.XmpJournalUnreadable, $"Line {number} of the tag journal '{path}' cannot be read and was skipped: {ex.Message}", path, ErrorKind.InvalidData, ex));
            }
        }
        return entries;
    }

    /// <summary>SHA-256 of a sidecar's bytes, lower-case hex; null for no file.</summary>
    public static string? Hash(byte[]? bytes) => bytes is null ? null : Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public static string NewId() => Guid.NewGuid().ToString("N")[..16];

    public void Dispose()
    {
        lock (_gate)
        {
            try { _stream.Flush(flushToDisk: true); } catch (IOException) { }
            _stream.Dispose();
            _lock.Dispose();
        }
    }
}

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

    /// <summary>
    /// Opens the journal for appending, holding the store's lock so two sessions never interleave lines, and first
    /// settles the writes an earlier run left unsettled (killed between its journal line and its outcome).
    /// </summary>
    public static TagJournal OpenForAppend(string path, CancellationToken cancellationToken = default)
    {
        var storeLock = StoreLock.Acquire(path, cancellationToken: cancellationToken);
        TagJournal? journal = null;
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
            journal = new TagJournal(path, storeLock, stream);
            journal.Recover();
            return journal;
        }
        catch
        {
            if (journal is not null) journal.Dispose();
            else storeLock.Dispose();
            throw;
        }
    }

    /// <summary>Writes an earlier run left unsettled, with what recovery found: deleted temporary files included.</summary>
    public IReadOnlyList<TagJournalEntry> Recovered { get; private set; } = [];

    /// <summary>
    /// Settles every unsettled entry: removes its temporary file if a crash left it (a file this journal named before
    /// creating it, so never anyone else's), and records whether the sidecar holds the new content (written), the old
    /// (not written), or neither (unknown).
    /// </summary>
    void Recover()
    {
        var pending = Read(Path).Where(e => e.Outcome is null).ToList();
        foreach (var e in pending)
        {
            if (e.Temp is { Length: > 0 } temp) AtomicFile.TryDelete(temp);
            e.Outcome = OutcomeOf(e);
            WriteLine(new SettleLine(e.Id, e.Outcome.Value));
        }
        if (pending.Count > 0) Flush(durable: true);
        Recovered = pending;
    }

    /// <summary>Where an unsettled write stands, judged by the sidecar's content now.</summary>
    public static WriteOutcome OutcomeOf(TagJournalEntry e)
    {
        string? hash;
        try { hash = Hash(SidecarFile.Read(e.Sidecar)); }
        catch (MediaTaggerException) { return WriteOutcome.Unknown; }
        return hash == e.HashAfter ? WriteOutcome.Written : hash == e.HashBefore ? WriteOutcome.NotWritten : WriteOutcome.Unknown;
    }

    /// <summary>
    /// Appends entries describing writes about to happen and makes them durable (one fsync for all): only then may
    /// the sidecars be replaced, so a crash at any later moment leaves a journal that knows every write.
    /// </summary>
    public void AppendIntents(IReadOnlyCollection<TagJournalEntry> entries)
    {
        if (entries.Count == 0) return;
        lock (_gate)
        {
            foreach (var e in entries)
            {
                e.Intent = true;
                e.Journal = Path;
                WriteLine(e);
            }
            Flush(durable: true);
        }
    }

    /// <summary>Records the outcome of a write (no fsync: if this line is lost, recovery finds the same outcome from the sidecar).</summary>
    public void Settle(TagJournalEntry entry, WriteOutcome outcome)
    {
        entry.Outcome = outcome;
        lock (_gate)
        {
            WriteLine(new SettleLine(entry.Id, outcome));
            Flush(durable: false);
        }
    }

    /// <summary>The line that records a write's outcome: {"settles":"id","outcome":"written","time":...}.</summary>
    sealed record SettleLine(string Settles, WriteOutcome Outcome)
    {
        public DateTime Time { get; } = DateTime.UtcNow;
    }

    void WriteLine<T>(T line)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, Json.Compact);
        lock (_gate)
        {
            try
            {
                _stream.Write(bytes);
                _stream.Write(NewLine);
            }
            catch (IOException ex)
            {
                throw JournalFailed(ex);
            }
        }
    }

    void Flush(bool durable)
    {
        try { _stream.Flush(flushToDisk: durable); }
        catch (IOException ex) { throw JournalFailed(ex); }
    }

    MediaTaggerException JournalFailed(IOException ex) =>
        new(ErrorIds.XmpJournalWriteFailed, $"The tag journal '{Path}' cannot be written ({ex.Message}); no sidecar is written without its journal line.", ErrorKind.WriteError, Path, ex);

    /// <summary>
    /// Every readable entry, oldest first, with its outcome: settle lines give it; entries of earlier versions (written
    /// after their sidecar) were written; an entry without either is still unsettled (null). A line that does not
    /// parse (a crash mid-write) is reported and skipped.
    /// </summary>
    public static List<TagJournalEntry> Read(string path, Action<ItemError>? onError = null)
    {
        var entries = new List<TagJournalEntry>();
        var outcomes = new Dictionary<string, WriteOutcome>(StringComparer.Ordinal);
        if (!File.Exists(path)) return entries;
        using (var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8))
        {
            var number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    var entry = JsonSerializer.Deserialize<TagJournalEntry>(line, Json.Compact);
                    if (entry?.Settles is { } settled && entry.Outcome is { } outcome)
                    {
                        outcomes[settled] = outcome;
                        continue;
                    }
                    if (entry is null || entry.Sidecar.Length == 0) throw new JsonException("not a journal entry");
                    entry.Journal = path;
                    entries.Add(entry);
                }
                catch (JsonException ex)
                {
                    onError?.Invoke(new ItemError(ErrorIds.XmpJournalUnreadable, $"Line {number} of the tag journal '{path}' cannot be read and was skipped: {ex.Message}", path, ErrorKind.InvalidData, ex));
                }
            }
        }
        foreach (var e in entries)
            e.Outcome = outcomes.TryGetValue(e.Id, out var o) ? o : e.Intent == true ? null : WriteOutcome.Written;
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

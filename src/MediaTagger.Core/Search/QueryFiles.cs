using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Search;

/// <summary>Writes a query record to <c>data/last_query.json</c> and, on request, to <c>data/&lt;name&gt;.json</c>.</summary>
public static class QueryFiles
{
    /// <summary>
    /// The path of a named query file (".json" added when missing): a plain file name goes into the store's data folder,
    /// an absolute path (the cmdlet resolves a relative one against the PowerShell location) goes where it says.
    /// Files that are not saved queries (the catalog, for one) are never overwritten.
    /// </summary>
    public static string PathFor(MediaLibrary library, string name)
    {
        var file = name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name : name + ".json";
        var leaf = Path.GetFileName(file);
        var rooted = Path.IsPathFullyQualified(file);
        if (string.IsNullOrWhiteSpace(name) || (!rooted && file != leaf) || leaf.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || leaf.StartsWith('.'))
            throw new MediaTaggerException(ErrorIds.SearchOutFileInvalid,
                $"-OutFile takes a file name such as 'dog_candidates.json' (saved in '{library.DataPath}') or a path such as './dog_candidates.json', not '{name}'.",
                ErrorKind.InvalidArgument, name);
        var path = rooted ? Path.GetFullPath(file) : Path.Combine(library.DataPath, file);
        if (Directory.Exists(path))
            throw new MediaTaggerException(ErrorIds.SearchOutFileInvalid, $"-OutFile '{path}' is a folder; give a file name.", ErrorKind.InvalidArgument, path);
        if (PathEquals(path, library.AssetsFile) || (File.Exists(path) && !IsQueryRecord(path)))
            throw new MediaTaggerException(ErrorIds.SearchOutFileInvalid,
                $"'{path}' exists and is not a saved query; pick another -OutFile name (MediaTagger never overwrites files it did not write as query results).",
                ErrorKind.InvalidArgument, path);
        return path;
    }

    /// <summary>
    /// Creates the file that will replace last_query.json, so the caller can do it beside the search (see
    /// <see cref="AtomicFile.Prepare"/>) and hand it to <see cref="Write"/>. Disposing it unused deletes it. Also removes
    /// what a query that was killed while saving left in the data folder (the caller is off the query's critical path).
    /// </summary>
    public static AtomicFile.PendingFile PrepareLast(MediaLibrary library) => Saving(library, () =>
    {
        AtomicFile.SweepDebris(library.DataPath);
        return AtomicFile.Prepare(library.LastQueryFile);
    });

    /// <summary>
    /// Writes the record atomically to last_query.json (into <paramref name="last"/> when it was prepared) and to
    /// <paramref name="namedFile"/> when given.
    /// </summary>
    public static void Write(MediaLibrary library, QueryRecord record, string? namedFile, AtomicFile.PendingFile? last = null) => Saving(library, () =>
    {
        // No fsync: it would cost more than the search itself, and the file is only the latest query's results
        // (still atomic; after a power cut it may be empty, which review reports as "run the search again").
        // Not indented either: that halves the time to write it, the largest cost of a warm query after its scan.
        using (var file = last ?? AtomicFile.Prepare(library.LastQueryFile)) file.Commit(ToCompactJson(record));
        if (namedFile is not null) Json.Write(namedFile, record);
        return true;
    });

    /// <summary>Results below this many are serialised on one thread: handing half to another costs more than it saves.</summary>
    const int SplitAt = 32;

    /// <summary>
    /// The record as compact JSON, byte for byte as <see cref="JsonSerializer"/> writes it whole. Serialising is most of
    /// the time a warm query spends saving, with caches its scan has just flushed, so with many results the second half
    /// is serialised on another core meanwhile and the two are joined: "results" is the record's last property, so the
    /// record with the first half ends in "]}", which becomes a comma, then the second half's array without its "[", then "}".
    /// </summary>
    internal static byte[] ToCompactJson(QueryRecord record)
    {
        var results = record.Results;
        if (results.Count < SplitAt) return JsonSerializer.SerializeToUtf8Bytes(record, Json.Compact);
        var half = results.Count / 2;
        var secondHalf = Task.Run(() => JsonSerializer.SerializeToUtf8Bytes(results.GetRange(half, results.Count - half), Json.Compact));
        var head = JsonSerializer.SerializeToUtf8Bytes(record.WithResults(results.GetRange(0, half)), Json.Compact);
        var tail = secondHalf.GetAwaiter().GetResult();
        var bytes = new byte[head.Length + tail.Length - 1];
        head.AsSpan(0, head.Length - 2).CopyTo(bytes);
        bytes[head.Length - 2] = (byte)',';
        tail.AsSpan(1).CopyTo(bytes.AsSpan(head.Length - 1));
        bytes[^1] = (byte)'}';
        return bytes;
    }

    static T Saving<T>(MediaLibrary library, Func<T> save)
    {
        try
        {
            return save();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.SearchQueryWriteFailed,
                $"The query results could not be saved under '{library.DataPath}': {ex.Message}", ErrorKind.WriteError, library.DataPath, ex);
        }
    }

    static bool IsQueryRecord(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("kind", out _)
                && doc.RootElement.TryGetProperty("results", out _);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static bool PathEquals(string a, string b) => MediaLibrary.PathComparer.Equals(Path.GetFullPath(a), Path.GetFullPath(b));
}

using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Faces;

/// <summary>
/// The face store of a library (data/faces/), its only reader and writer: faces.jsonl (one line per analysed asset:
/// boxes, landmarks, scores, and where its vectors start), faces.f32 (the vectors, little-endian float32, row after
/// row) and names.jsonl (naming events, the latest per face wins, so every naming is undoable). All three are
/// append-only: a write costs what it adds. Vectors are written before the line that refers to them, so a crash or
/// Ctrl+C leaves at worst an unfinished last line or unreferenced rows, both ignored on open and cut off by the next
/// append. An asset analysed again (its file changed) gets a new line; the latest line per asset wins.
/// </summary>
public sealed class FaceStore
{
    const string RecordsFile = "faces.jsonl";
    const string VectorsFile = "faces.f32";
    const string NamesFile = "names.jsonl";

    readonly Dictionary<string, FaceRecord> _records = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    long _rows;
    long _recordsLength;
    long _namesLength;

    FaceStore(string folder) => Folder = folder;

    public string Folder { get; }

    public static string FolderOf(MediaLibrary library) => Path.Combine(library.DataPath, "faces");

    /// <summary>The latest record of every analysed asset, by asset id.</summary>
    public IReadOnlyDictionary<string, FaceRecord> Records => _records;

    /// <summary>Current names by face id (a face named and then un-named has none).</summary>
    public IReadOnlyDictionary<string, string> Names => _names;

    public int FaceCount => _records.Values.Sum(r => r.Faces.Count);

    public static FaceStore Open(MediaLibrary library)
    {
        var store = new FaceStore(FolderOf(library));
        store.Load();
        return store;
    }

    /// <summary>True when <paramref name="assetId"/> was analysed from the same file with the same models.</summary>
    public bool IsCurrent(string assetId, string stamp, string modelId) =>
        _records.TryGetValue(assetId, out var r) && r.Stamp == stamp && r.ModelId == modelId;

    void Load()
    {
        var records = Path.Combine(Folder, RecordsFile);
        var vectors = Path.Combine(Folder, VectorsFile);
        if (!File.Exists(records)) return;
        try
        {
            var vectorBytes = File.Exists(vectors) ? new FileInfo(vectors).Length : 0;
            using var vfs = File.Exists(vectors) ? new FileStream(vectors, FileMode.Open, FileAccess.Read, FileShare.ReadWrite) : null;
            foreach (var (line, end) in CompleteLines(records))
            {
                var stored = JsonSerializer.Deserialize<StoredLine>(line) ?? throw new JsonException("empty line");
                if (stored.Dim != FaceModelFiles.Dimension) throw new JsonException($"vectors of {stored.Dim} dimensions, not {FaceModelFiles.Dimension}");
                var count = stored.Faces.Count;
                if ((stored.Row + count) * (long)stored.Dim * 4 > vectorBytes) break;   // vectors lost with a crash: the line does not count
                var faces = new List<StoredFace>(count);
                var buffer = new byte[stored.Dim * 4];
                vfs!.Seek(stored.Row * stored.Dim * 4, SeekOrigin.Begin);
                foreach (var f in stored.Faces)
                {
                    vfs.ReadExactly(buffer);
                    faces.Add(f with { Vector = MemoryMarshal.Cast<byte, float>(buffer).ToArray() });
                }
                _records[stored.Id] = new FaceRecord(stored.Id, stored.Stamp, stored.Model, faces);
                _rows = Math.Max(_rows, stored.Row + count);
                _recordsLength = end;
            }
            foreach (var (line, end) in CompleteLines(Path.Combine(Folder, NamesFile)))
            {
                var naming = JsonSerializer.Deserialize<NameLine>(line) ?? throw new JsonException("empty line");
                if (string.IsNullOrEmpty(naming.Name)) _names.Remove(naming.Face);
                else _names[naming.Face] = naming.Name;
                _namesLength = end;
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            throw new MediaTaggerException(ErrorIds.FaceStoreUnreadable,
                $"The face store '{Folder}' cannot be read: {ex.Message}. Delete the folder (Remove-MediaFace -All) and run Add-MediaFace again to rebuild it.",
                ErrorKind.InvalidData, Folder, ex);
        }
    }

    /// <summary>Every line that ends in a newline, with the byte offset after it; an unfinished last line is not one.</summary>
    static IEnumerable<(string Line, long End)> CompleteLines(string path)
    {
        if (!File.Exists(path)) yield break;
        var bytes = File.ReadAllBytes(path);
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            if (i > start) yield return (Encoding.UTF8.GetString(bytes, start, i - start), i + 1);
            start = i + 1;
        }
    }

    /// <summary>Appends the records of newly analysed assets (vectors first, then their lines), under the store lock.</summary>
    public void Append(IReadOnlyList<FaceRecord> records)
    {
        if (records.Count == 0) return;
        Directory.CreateDirectory(Folder);
        using var held = StoreLock.Acquire(Path.Combine(Folder, RecordsFile));
        // Another process may have appended since we opened: continue after everything that is there.
        Reload();
        var lines = new StringBuilder();
        using (var vfs = new FileStream(Path.Combine(Folder, VectorsFile), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
        {
            // Rows beyond the last complete line are debris of an interrupted run.
            vfs.SetLength(_rows * FaceModelFiles.Dimension * 4);
            vfs.Seek(0, SeekOrigin.End);
            foreach (var r in records)
            {
                foreach (var f in r.Faces) vfs.Write(MemoryMarshal.AsBytes(f.Vector.AsSpan()));
                lines.Append(JsonSerializer.Serialize(new StoredLine(r.AssetId, r.Stamp, r.ModelId, _rows, FaceModelFiles.Dimension, r.Faces))).Append('\n');
                _records[r.AssetId] = r;
                _rows += r.Faces.Count;
            }
            vfs.Flush(flushToDisk: true);
        }
        _recordsLength = AppendText(RecordsFile, _recordsLength, lines.ToString());
    }

    /// <summary>Records names for faces (null or empty removes a name); returns the previous names, for undo.</summary>
    public IReadOnlyList<(string FaceId, string? Previous)> SetNames(IReadOnlyList<(string FaceId, string? Name)> names)
    {
        Directory.CreateDirectory(Folder);
        using var held = StoreLock.Acquire(Path.Combine(Folder, RecordsFile));
        Reload();
        var previous = new List<(string, string?)>();
        var lines = new StringBuilder();
        var utc = DateTime.UtcNow;
        foreach (var (face, name) in names)
        {
            previous.Add((face, _names.GetValueOrDefault(face)));
            lines.Append(JsonSerializer.Serialize(new NameLine(face, string.IsNullOrWhiteSpace(name) ? null : name.Trim(), utc))).Append('\n');
            if (string.IsNullOrWhiteSpace(name)) _names.Remove(face);
            else _names[face] = name.Trim();
        }
        _namesLength = AppendText(NamesFile, _namesLength, lines.ToString());
        return previous;
    }

    void Reload()
    {
        _records.Clear();
        _names.Clear();
        _rows = _recordsLength = _namesLength = 0;
        Load();
    }

    /// <summary>Appends after the last complete line (an unfinished one left by a crash is overwritten) and syncs.</summary>
    long AppendText(string file, long validLength, string text)
    {
        using var fs = new FileStream(Path.Combine(Folder, file), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        fs.SetLength(validLength);
        fs.Seek(validLength, SeekOrigin.Begin);
        var bytes = Encoding.UTF8.GetBytes(text);
        fs.Write(bytes);
        fs.Flush(flushToDisk: true);
        return validLength + bytes.Length;
    }

    /// <summary>Deletes every face, vector and name of the library (the user's "forget all faces").</summary>
    public static void DeleteAll(MediaLibrary library)
    {
        var folder = FolderOf(library);
        if (!Directory.Exists(folder)) return;
        using (StoreLock.Acquire(Path.Combine(folder, RecordsFile)))
        {
            foreach (var f in new[] { RecordsFile, VectorsFile, NamesFile }) File.Delete(Path.Combine(folder, f));
        }
        Directory.Delete(folder, recursive: true);
    }

    sealed record StoredLine(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("stamp")] string Stamp,
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("row")] long Row,
        [property: JsonPropertyName("dim")] int Dim,
        [property: JsonPropertyName("faces")] IReadOnlyList<StoredFace> Faces);

    sealed record NameLine(
        [property: JsonPropertyName("face")] string Face,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("utc")] DateTime Utc);
}

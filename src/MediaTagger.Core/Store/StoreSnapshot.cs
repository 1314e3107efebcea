using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Store;

/// <summary>
/// A store as its files describe it at one moment, after the cheap checks every open runs: a readable meta of a known
/// format, the model it was built with (when the caller names one), an index whose rows are numbered without gaps or
/// repeats, keys that parse, and a data file long enough for every committed row. The per-row check (finite, unit
/// length, sum) runs when rows are read (<see cref="RowCheck.Problem"/>).
/// </summary>
public sealed class StoreSnapshot
{
    StoreSnapshot(StoreLocation location, EmbeddingMeta meta, IndexLog.State state, string dataPath, string? indexPath, StoreStamp stamp)
    {
        Location = location;
        Meta = meta;
        State = state;
        DataPath = dataPath;
        IndexPath = indexPath;
        Stamp = stamp;
    }

    public StoreLocation Location { get; }
    public EmbeddingMeta Meta { get; }
    internal IndexLog.State State { get; }

    /// <summary>The file holding the rows (raw little-endian float32, <see cref="EmbeddingMeta.Dim"/> per row).</summary>
    public string DataPath { get; }

    /// <summary>The index log (format 2); null for a format-1 store.</summary>
    public string? IndexPath { get; }

    /// <summary>The folder's stamp read before the files: equal to a later <see cref="StoreStamp.Read"/> while nothing was written since.</summary>
    public StoreStamp Stamp { get; }

    public int Dimension => Meta.Dim;

    /// <summary>Rows in the data file that belong to the store, superseded ones included.</summary>
    public int Rows => State.Rows;

    /// <summary>Key → live row.</summary>
    public IReadOnlyDictionary<string, StoreEntry> Live => State.Live;

    /// <summary>Rows no key names any more (replaced by a later row, or dropped): what compaction reclaims.</summary>
    public int Superseded => State.Rows - State.Live.Count;

    /// <summary>True when there is a store (or what is left of one) in the folder.</summary>
    public static bool Exists(StoreLocation at) =>
        File.Exists(Path.Combine(at.Folder, StoreFiles.MetaFile))
        || (Directory.Exists(at.Folder) && Directory.EnumerateFiles(at.Folder).Any(f => StoreFiles.IsStoreFile(Path.GetFileName(f))));

    /// <summary>
    /// Reads and checks the store at <paramref name="at"/>; null when the folder holds none. With <paramref name="modelId"/>,
    /// a store built by another model (or with another dimension) is refused before anything else is read.
    /// </summary>
    /// <exception cref="MediaTaggerException">Damaged (<see cref="ErrorIds.StoreDamaged"/>), another model's, or unreadable.</exception>
    public static StoreSnapshot? Open(StoreLocation at, bool withStamps = false, string? modelId = null, int dimension = 0)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stamp = StoreStamp.Read(at.Folder);
            try
            {
                return OpenOnce(at, stamp, withStamps, modelId, dimension);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && attempt < 5 && StoreStamp.Read(at.Folder) != stamp)
            {
                // A compaction replaced the files between our reading the meta and opening what it named: read again.
                Thread.Sleep(50);
            }
        }
    }

    static StoreSnapshot? OpenOnce(StoreLocation at, StoreStamp stamp, bool withStamps, string? modelId, int dimension)
    {
        var metaPath = Path.Combine(at.Folder, StoreFiles.MetaFile);
        if (!File.Exists(metaPath))
        {
            if (!Exists(at)) return null;
            throw StoreErrors.Lost(at, $"its {StoreFiles.MetaFile} is missing, so what its rows are is unknown");
        }
        EmbeddingMeta meta;
        try
        {
            meta = Json.Read<EmbeddingMeta>(metaPath) ?? throw new JsonException("the file is empty");
        }
        catch (JsonException ex)
        {
            throw StoreErrors.Lost(at, $"its {StoreFiles.MetaFile} is not valid ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException and not FileNotFoundException or UnauthorizedAccessException)
        {
            throw StoreErrors.Unreadable(at, ex);
        }
        if (meta.FormatVersion > EmbeddingMeta.CurrentFormat)
            throw new MediaTaggerException(ErrorIds.StoreUnreadable,
                $"The '{at.Model}' store of '{at.Library.Root}' was written by a newer MediaTagger (format {meta.FormatVersion}); update the module to use it.",
                ErrorKind.InvalidData, at.Folder);
        if (meta.FormatVersion < 1 || meta.Dim <= 0 || meta.Dim > 1 << 16 || string.IsNullOrEmpty(meta.ModelId)
            || !string.Equals(meta.Dtype, "float32", StringComparison.OrdinalIgnoreCase) || !string.Equals(meta.ByteOrder, "little", StringComparison.OrdinalIgnoreCase))
            throw StoreErrors.Lost(at, $"its {StoreFiles.MetaFile} does not describe float32 little-endian rows of a model (format {meta.FormatVersion}, {meta.Dim} dimensions, model '{meta.ModelId}')");
        if (!string.IsNullOrEmpty(modelId) && (meta.Dim != dimension || !string.Equals(meta.ModelId, modelId, StringComparison.Ordinal)))
            throw StoreErrors.ModelMismatch(at, meta.ModelId, meta.Dim, modelId, dimension);
        try
        {
            return meta.FormatVersion == 1 ? OpenV1(at, meta, stamp, withStamps) : OpenV2(at, meta, stamp, withStamps);
        }
        catch (StoreFormatException ex)
        {
            throw StoreErrors.Damaged(at, ex.Message);
        }
        catch (Exception ex) when (ex is IOException and not FileNotFoundException or UnauthorizedAccessException)
        {
            throw StoreErrors.Unreadable(at, ex);
        }
    }

    static StoreSnapshot OpenV2(StoreLocation at, EmbeddingMeta meta, StoreStamp stamp, bool withStamps)
    {
        if (meta.Generation is not > 0) throw StoreErrors.Lost(at, $"its {StoreFiles.MetaFile} names no generation of data");
        var index = Path.Combine(at.Folder, StoreFiles.IndexFile(meta.Generation.Value));
        var data = Path.Combine(at.Folder, StoreFiles.DataFile(meta.Generation.Value));
        if (!File.Exists(index)) throw new FileNotFoundException($"its index '{Path.GetFileName(index)}' is missing", index);
        var state = new IndexLog.State();
        IndexLog.Replay(index, state, withStamps, meta);
        CheckLength(data, meta, state.Rows);
        return new StoreSnapshot(at, meta, state, data, index, stamp);
    }

    static void CheckLength(string data, EmbeddingMeta meta, int rows)
    {
        var file = new FileInfo(data);
        var actual = file.Exists ? file.Length : 0;
        var expected = (long)rows * meta.Dim * sizeof(float);
        // Longer is a batch a crash interrupted before its commit; the next writer cuts it off.
        if (actual < expected)
            throw new StoreFormatException($"its index counts {rows} rows of {meta.Dim} floats ({expected} bytes) but {file.Name} has {actual} bytes");
    }

    /// <summary>Format 1: meta (with the committed count), key → row in embeddings.index.json, key → stamp in embeddings.stamps.json.</summary>
    static StoreSnapshot OpenV1(StoreLocation at, EmbeddingMeta meta, StoreStamp stamp, bool withStamps)
    {
        if (meta.Count is not { } count || count < 0) throw StoreErrors.Lost(at, $"its {StoreFiles.MetaFile} has no row count");
        var data = Path.Combine(at.Folder, StoreFiles.V1Data);
        var state = new IndexLog.State { Rows = count };
        var indexPath = Path.Combine(at.Folder, StoreFiles.V1Index);
        Dictionary<string, string>? stamps = null;
        try
        {
            if (withStamps && File.Exists(Path.Combine(at.Folder, StoreFiles.V1Stamps)))
                stamps = Json.Read<Dictionary<string, string>>(Path.Combine(at.Folder, StoreFiles.V1Stamps), Json.Compact);
        }
        catch (JsonException ex) { throw new StoreFormatException($"its {StoreFiles.V1Stamps} is not valid ({ex.Message})"); }
        var owner = new Dictionary<int, string>();
        foreach (var (key, row) in ReadV1Index(indexPath))
        {
            if (row < 0) throw new StoreFormatException($"its index gives the key '{key}' the row {row}, and rows start at 0");
            // Rows at or beyond the committed count belong to a batch whose meta was never written (format 1's crash window).
            if (row >= count) continue;
            if (!EmbeddingStore.IsValidKey(key)) throw new StoreFormatException($"its index holds the malformed key '{key}'");
            if (!owner.TryAdd(row, key)) throw new StoreFormatException($"its index gives the keys '{owner[row]}' and '{key}' the same row {row}");
            if (state.Live.ContainsKey(key)) throw new StoreFormatException($"its index names the key '{key}' twice");
            state.Live[key] = new StoreEntry(key, row, stamps?.GetValueOrDefault(key), 0, false);
        }
        CheckLength(data, meta, count);
        return new StoreSnapshot(at, meta, state, data, null, stamp);
    }

    /// <summary>Streams a format-1 index (an object of key → row), keeping duplicate keys (a dictionary would hide them).</summary>
    static List<(string Key, int Row)> ReadV1Index(string file)
    {
        if (!File.Exists(file)) return [];
        var bytes = File.ReadAllBytes(file);
        var entries = new List<(string, int)>(Math.Max(16, bytes.Length / 52));
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new StoreFormatException($"its {StoreFiles.V1Index} is not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                entries.Add((key, reader.GetInt32()));
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new StoreFormatException($"its {StoreFiles.V1Index} ends early");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new StoreFormatException($"its {StoreFiles.V1Index} is not valid ({ex.Message})");
        }
        return entries;
    }

    /// <summary>The live entries in data-file order.</summary>
    public List<StoreEntry> EntriesByRow()
    {
        var list = State.Live.Values.ToList();
        list.Sort((a, b) => a.Row.CompareTo(b.Row));
        return list;
    }
}

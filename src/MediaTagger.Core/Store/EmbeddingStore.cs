using System.Runtime.InteropServices;
using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Store;

/// <summary>
/// The vectors of one model for one library, in the concept document's layout under data/embeddings/&lt;model&gt;/:
/// embeddings.f32 (float32 rows), embeddings.index.json (key → row), embeddings.meta.json (dim, count, model),
/// plus embeddings.stamps.json (key → stamp of the rep it was computed from, so current vectors are skipped).
/// Keys are asset ids, with "#2", "#3"… for further video frames.
/// Writes append rows, then replace index, stamps and meta atomically: a crash loses at most the unfinished batch.
/// </summary>
public sealed class EmbeddingStore
{
    public const string F32File = "embeddings.f32";
    public const string IndexFile = "embeddings.index.json";
    public const string MetaFile = "embeddings.meta.json";
    public const string StampsFile = "embeddings.stamps.json";

    Dictionary<string, int> _index;
    Dictionary<string, string> _stamps;

    // Add-MediaEmbedding checks IsCurrent on one thread while its writer appends on another.
    readonly object _gate = new();

    EmbeddingStore(string folder, EmbeddingMeta meta, Dictionary<string, int> index, Dictionary<string, string> stamps)
    {
        Folder = folder;
        Meta = meta;
        _index = index;
        _stamps = stamps;
    }

    public string Folder { get; }
    public EmbeddingMeta Meta { get; private set; }
    public int Dimension => Meta.Dim;

    /// <summary>Rows in the file (some may be superseded by a re-embedded key).</summary>
    public int RowCount => Meta.Count;

    public IReadOnlyDictionary<string, int> Index => _index;

    public static string FolderFor(MediaLibrary library, string model) => Path.Combine(library.EmbeddingsRoot, model);

    public static bool Exists(MediaLibrary library, string model) => File.Exists(Path.Combine(FolderFor(library, model), MetaFile));

    /// <summary>
    /// Deletes the store's own files (and nothing else in the folder), for a rebuild with -Force after the store was
    /// found damaged or made by other weights.
    /// </summary>
    public static void Delete(MediaLibrary library, string model)
    {
        var folder = FolderFor(library, model);
        // Meta first: without it the other files no longer count as a store, whatever happens next.
        foreach (var file in new[] { MetaFile, IndexFile, StampsFile, F32File })
            AtomicFile.TryDelete(Path.Combine(folder, file));
    }

    /// <summary>
    /// Opens the store of <paramref name="model"/> (dimension <paramref name="dimension"/>, identity <paramref name="modelId"/>),
    /// creating an empty one when there is none. A store written by other weights or with another dimension is refused,
    /// and a data file shorter than its meta says is reported as truncated, never silently mixed.
    /// </summary>
    public static EmbeddingStore OpenOrCreate(MediaLibrary library, string model, string modelId, int dimension, string preprocessing)
    {
        var folder = FolderFor(library, model);
        if (!File.Exists(Path.Combine(folder, MetaFile)))
        {
            if (File.Exists(Path.Combine(folder, F32File)) && new FileInfo(Path.Combine(folder, F32File)).Length > 0)
                throw new MediaTaggerException(ErrorIds.StoreForeign,
                    $"'{Path.Combine(folder, F32File)}' has no {MetaFile}: it was not written by MediaTagger, or its meta was lost. Move the folder aside to rebuild it.",
                    ErrorKind.InvalidData, folder);
            return new EmbeddingStore(folder, new EmbeddingMeta { Model = model, ModelId = modelId, Dim = dimension, Preprocessing = preprocessing },
                new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        }
        var store = Open(library, model);
        if (store.Meta.Dim != dimension || !string.Equals(store.Meta.ModelId, modelId, StringComparison.Ordinal))
            throw new MediaTaggerException(ErrorIds.StoreModelMismatch,
                $"The store '{folder}' holds vectors of '{store.Meta.ModelId}' ({store.Meta.Dim} dimensions), not of '{modelId}' ({dimension}). " +
                "Vectors of different models are never mixed: use -Force to rebuild it, or pick the model it was built with.",
                ErrorKind.InvalidData, folder);
        return store;
    }

    /// <summary>Opens an existing store (index and meta only; vectors are read with <see cref="LoadVectors"/>).</summary>
    public static EmbeddingStore Open(MediaLibrary library, string model)
    {
        var folder = FolderFor(library, model);
        try
        {
            var meta = Json.Read<EmbeddingMeta>(Path.Combine(folder, MetaFile)) ?? throw new JsonException("empty meta");
            var index = File.Exists(Path.Combine(folder, IndexFile))
                ? Json.Read<Dictionary<string, int>>(Path.Combine(folder, IndexFile), Json.Compact) ?? []
                : [];
            var stamps = File.Exists(Path.Combine(folder, StampsFile))
                ? Json.Read<Dictionary<string, string>>(Path.Combine(folder, StampsFile), Json.Compact) ?? []
                : [];
            var f32 = new FileInfo(Path.Combine(folder, F32File));
            long expected = (long)meta.Count * meta.Dim * sizeof(float);
            var actual = f32.Exists ? f32.Length : 0;
            // Keys at or beyond the committed count belong to a batch whose meta was never written (a crash between
            // the index and the meta replace): they are not part of the store, and their assets get embedded again.
            foreach (var uncommitted in index.Where(kv => kv.Value >= meta.Count).Select(kv => kv.Key).ToList())
            {
                index.Remove(uncommitted);
                stamps.Remove(uncommitted);
            }
            if (meta.Dim <= 0 || meta.Count < 0 || actual < expected || index.Values.Any(r => r < 0))
                throw new MediaTaggerException(ErrorIds.StoreTruncated,
                    $"The store '{folder}' is damaged: its meta promises {meta.Count} rows of {meta.Dim} floats ({expected} bytes) but {F32File} has {actual} bytes. Re-run Add-MediaEmbedding -Force to rebuild it.",
                    ErrorKind.InvalidData, folder);
            return new EmbeddingStore(folder, meta, new(index, StringComparer.Ordinal), new(stamps, StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.StoreUnreadable, $"The store '{folder}' cannot be read: {ex.Message}", ErrorKind.ReadError, folder, ex);
        }
    }

    /// <summary>Reloads meta, index and stamps when another writer committed rows since this instance read them.</summary>
    void RefreshFromDisk()
    {
        var metaPath = Path.Combine(Folder, MetaFile);
        if (!File.Exists(metaPath)) return;
        EmbeddingMeta? onDisk;
        try { onDisk = Json.Read<EmbeddingMeta>(metaPath); }
        catch (JsonException) { return; }
        if (onDisk is null || onDisk.Count == Meta.Count) return;
        if (onDisk.Dim != Meta.Dim || onDisk.ModelId != Meta.ModelId)
            throw new MediaTaggerException(ErrorIds.StoreModelMismatch, $"The store '{Folder}' was rebuilt for '{onDisk.ModelId}' while this run was writing it.", ErrorKind.InvalidData, Folder);
        Meta = onDisk;
        _index = new(File.Exists(Path.Combine(Folder, IndexFile)) ? Json.Read<Dictionary<string, int>>(Path.Combine(Folder, IndexFile), Json.Compact) ?? [] : [], StringComparer.Ordinal);
        _stamps = new(File.Exists(Path.Combine(Folder, StampsFile)) ? Json.Read<Dictionary<string, string>>(Path.Combine(Folder, StampsFile), Json.Compact) ?? [] : [], StringComparer.Ordinal);
    }

    public static string Key(string assetId, int frame = 1) => frame <= 1 ? assetId : $"{assetId}#{frame}";

    public static (string AssetId, int Frame) ParseKey(string key)
    {
        var hash = key.IndexOf('#');
        return hash < 0 ? (key, 1) : (key[..hash], int.Parse(key.AsSpan(hash + 1)));
    }

    /// <summary>True when <paramref name="key"/> has a vector computed from the rep identified by <paramref name="stamp"/>.</summary>
    public bool IsCurrent(string key, string stamp)
    {
        lock (_gate) return _index.ContainsKey(key) && _stamps.TryGetValue(key, out var s) && s == stamp;
    }

    /// <summary>
    /// Appends vectors and commits them: rows go to the end of embeddings.f32 (first cutting any rows an
    /// interrupted run left beyond the committed count), then index, stamps and meta are replaced atomically.
    /// </summary>
    public void Append(IReadOnlyList<(string Key, string Stamp, float[] Vector)> rows)
    {
        lock (_gate) AppendLocked(rows);
    }

    void AppendLocked(IReadOnlyList<(string Key, string Stamp, float[] Vector)> rows)
    {
        if (rows.Count == 0) return;
        Directory.CreateDirectory(Folder);
        // Another session may append to the same store: serialise, and take in what it committed before adding ours.
        using var held = StoreLock.Acquire(Path.Combine(Folder, MetaFile));
        RefreshFromDisk();
        var f32 = Path.Combine(Folder, F32File);
        long committed = (long)Meta.Count * Meta.Dim * sizeof(float);
        using (var fs = new FileStream(f32, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
        {
            if (fs.Length != committed) fs.SetLength(committed);
            fs.Seek(committed, SeekOrigin.Begin);
            foreach (var (_, _, vector) in rows)
            {
                if (vector.Length != Meta.Dim)
                    throw new MediaTaggerException(ErrorIds.StoreModelMismatch, $"A vector of {vector.Length} dimensions cannot go into a store of {Meta.Dim}.", ErrorKind.InvalidData, Folder);
                fs.Write(MemoryMarshal.AsBytes(vector.AsSpan()));
            }
            fs.Flush(flushToDisk: true);
        }
        foreach (var (key, stamp, _) in rows)
        {
            _index[key] = Meta.Count++;
            _stamps[key] = stamp;
        }
        Meta.UpdatedUtc = DateTime.UtcNow;
        Json.Write(Path.Combine(Folder, IndexFile), _index, Json.Compact);
        Json.Write(Path.Combine(Folder, StampsFile), _stamps, Json.Compact);
        // Meta last: its count is what makes the appended rows part of the store.
        Json.Write(Path.Combine(Folder, MetaFile), Meta);
    }

    /// <summary>
    /// Reads the live vectors (one per key, superseded rows skipped) into one contiguous array, row i belonging to keys[i].
    /// A simple reader for small stores and tests; searches keep stores resident through Search.ResidentStore.
    /// </summary>
    public (string[] Keys, float[] Vectors) LoadVectors()
    {
        var keys = _index.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        var vectors = new float[(long)keys.Length * Meta.Dim];
        using var fs = new FileStream(Path.Combine(Folder, F32File), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        var rowBytes = Meta.Dim * sizeof(float);
        for (var i = 0; i < keys.Length; i++)
        {
            // Row by row: one span over the whole array would overflow at 2 GiB (1M x 512).
            fs.Seek((long)_index[keys[i]] * rowBytes, SeekOrigin.Begin);
            fs.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan().Slice(i * Meta.Dim, Meta.Dim)));
        }
        return (keys, vectors);
    }
}

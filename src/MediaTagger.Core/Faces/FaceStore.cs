using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Faces;

/// <summary>
/// A library's face data, its only reader and writer: the face log (data/faces/faces.log.jsonl, <see cref="FaceLog"/>:
/// boxes, landmarks, scores, names) and the face vectors in the vector store (Core/Store, model "faces": keys
/// "&lt;asset id&gt;", "&lt;asset id&gt;#2"… for an asset's faces in order). A record and its vectors are tied by a token in
/// the rows' stamps: vectors are committed first, then the record line, so after a crash between the two the asset
/// simply counts as not analysed (its previous record and names stay). Damage in either part is one terminating error
/// naming Optimize-MediaStore -Model faces, which keeps whatever proves itself. The store of this morning's build
/// (faces.jsonl + faces.f32 + names.jsonl) is migrated on first open, names included.
/// </summary>
public sealed class FaceStore
{
    /// <summary>The vector store's model name for face vectors.</summary>
    public const string VectorModel = StoreLocation.FacesModel;

    /// <summary>What the vectors are (the store's meta): FaceRes on the eye-levelled 224-px crop.</summary>
    public const string Preprocessing = "faceres-aligned-224";

    /// <summary>The face log is compacted when lines a later line replaced pass this share of its lines.</summary>
    const double CompactFraction = 0.25;

    readonly object _gate = new();
    FaceLog.State _log = new();
    Dictionary<string, FaceRecord> _records = new(StringComparer.Ordinal);
    EmbeddingStore? _vectors;
    bool _repaired;

    FaceStore(MediaLibrary library)
    {
        Library = library;
        Folder = FolderOf(library);
    }

    public MediaLibrary Library { get; }
    public string Folder { get; }
    public StoreLocation VectorLocation => new(Library, VectorModel);
    string LogPath => Path.Combine(Folder, FaceLog.FileName);

    public static string FolderOf(MediaLibrary library) => Path.Combine(library.DataPath, "faces");

    /// <summary>True when the library has face data (of this or the earlier format).</summary>
    public static bool Exists(MediaLibrary library) =>
        File.Exists(Path.Combine(FolderOf(library), FaceLog.FileName)) || FaceStoreV1.Exists(FolderOf(library)) || StoreSnapshot.Exists(new StoreLocation(library, VectorModel));

    /// <summary>The latest record of every analysed asset whose vectors are in the vector store, by asset id.</summary>
    public IReadOnlyDictionary<string, FaceRecord> Records => _records;

    /// <summary>Current names by face id (a face named and then un-named has none).</summary>
    public IReadOnlyDictionary<string, string> Names => _log.Names;

    public int FaceCount => _records.Values.Sum(r => r.Faces.Count);

    /// <exception cref="MediaTaggerException">Damaged (naming Optimize-MediaStore -Model faces) or unreadable.</exception>
    /// <param name="repair">-Force: damaged face data is repaired first (as by <see cref="Optimize"/>), keeping what proves itself.</param>
    public static FaceStore Open(MediaLibrary library, bool repair = false)
    {
        var store = new FaceStore(library);
        try
        {
            store.Migrate(lenient: false);
            store.Load();
        }
        catch (MediaTaggerException ex) when (repair && ex.ErrorId is ErrorIds.FaceStoreDamaged or ErrorIds.StoreDamaged)
        {
            Optimize(library, keepAsset: null, CancellationToken.None);
            store.Load();
        }
        return store;
    }

    /// <summary>True when <paramref name="assetId"/> was analysed from the same file with the same models (and its vectors are stored).</summary>
    public bool IsCurrent(string assetId, string stamp, string modelId)
    {
        lock (_gate) return _records.TryGetValue(assetId, out var r) && r.Stamp == stamp && r.ModelId == modelId;
    }

    void Load()
    {
        var state = new FaceLog.State();
        try
        {
            if (File.Exists(LogPath)) FaceLog.Replay(LogPath, state);
        }
        catch (FaceLog.DamagedException ex) { throw Damaged(ex.Message); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw Unreadable(ex); }
        _log = state;
        _records = Backed(state.Records.Values);
    }

    /// <summary>The records whose vectors the vector store holds (same model, token and count), vectors attached.</summary>
    Dictionary<string, FaceRecord> Backed(IEnumerable<FaceLog.LogRecord> records)
    {
        var result = new Dictionary<string, FaceRecord>(StringComparer.Ordinal);
        var at = VectorLocation;
        var snapshot = StoreSnapshot.Open(at, withStamps: true);
        SafeFileHandle? data = null;
        try
        {
            foreach (var r in records)
            {
                if (r.Faces.Count == 0)
                {
                    result[r.AssetId] = new FaceRecord(r.AssetId, r.Stamp, r.ModelId, []);
                    continue;
                }
                if (snapshot is null || snapshot.Meta.ModelId != r.ModelId || snapshot.Meta.Dim != FaceModelFiles.Dimension
                    || snapshot.Live.ContainsKey(EmbeddingStore.Key(r.AssetId, r.Faces.Count + 1))) continue;
                var faces = new List<StoredFace>(r.Faces.Count);
                for (var i = 0; i < r.Faces.Count; i++)
                {
                    if (!snapshot.Live.TryGetValue(EmbeddingStore.Key(r.AssetId, i + 1), out var e) || e.Stamp != VectorStamp(r.Stamp, r.Token)) break;
                    data ??= File.OpenHandle(snapshot.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    var vector = new float[FaceModelFiles.Dimension];
                    var bytes = MemoryMarshal.AsBytes(vector.AsSpan());
                    if (RandomAccess.Read(data, bytes, (long)e.Row * bytes.Length) != bytes.Length || RowCheck.Problem(e, vector) is { } problem)
                        throw StoreErrors.Damaged(at, $"the row of {e.Key} fails its check");
                    faces.Add(r.Faces[i] with { Vector = vector });
                }
                if (faces.Count == r.Faces.Count) result[r.AssetId] = new FaceRecord(r.AssetId, r.Stamp, r.ModelId, faces);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw StoreErrors.Unreadable(at, ex); }
        finally { data?.Dispose(); }
        return result;
    }

    static string VectorStamp(string stamp, string token) => $"{stamp}|{token}";

    static string NewToken() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// Appends newly analysed assets (vectors into the vector store, then their records). A face of a re-analysed asset
    /// that overlaps a named face of its previous record (<see cref="FaceNameCarry"/>) keeps the name.
    /// </summary>
    /// <param name="repair">-Force: a vector store that is damaged or holds another model's vectors is repaired (or started again) first.</param>
    public void Append(IReadOnlyList<FaceRecord> records, bool repair = false)
    {
        if (records.Count == 0) return;
        lock (_gate)
            WithLock(() =>
            {
                var logged = new List<FaceLog.LogRecord>(records.Count);
                var rows = new List<StoreRow>();
                var emptied = new List<string>();
                foreach (var r in records)
                {
                    var token = NewToken();
                    var names = FaceNameCarry.Carry(_log.Records.GetValueOrDefault(r.AssetId), _records.GetValueOrDefault(r.AssetId), _log.Names, r.Faces);
                    logged.Add(new FaceLog.LogRecord(r.AssetId, r.Stamp, r.ModelId, token, r.Faces, names.Any(n => n is not null) ? names : null));
                    if (r.Faces.Count == 0) emptied.Add(r.AssetId);
                    for (var i = 0; i < r.Faces.Count; i++)
                        rows.Add(new StoreRow(EmbeddingStore.Key(r.AssetId, i + 1), VectorStamp(r.Stamp, token), r.Faces[i].Vector));
                }
                if (rows.Count > 0 || emptied.Count > 0)
                {
                    var vectors = Vectors(records[0].ModelId, repair);
                    // Vectors are committed before the records that name them.
                    vectors.Append(rows, emptied);
                }
                WriteBatch(logged, []);
                foreach (var r in records) _records[r.AssetId] = r;
            });
    }

    EmbeddingStore Vectors(string modelId, bool repair)
    {
        // Repair (a full per-row check) once per store, not per batch.
        if (_vectors is null || _vectors.Meta.ModelId != modelId || (repair && !_repaired))
        {
            _vectors = EmbeddingStore.OpenOrCreate(Library, VectorModel, modelId, FaceModelFiles.Dimension, Preprocessing, repair);
            _repaired |= repair;
        }
        return _vectors;
    }

    /// <summary>Records names for faces (null or empty removes a name); returns the previous names, for undo.</summary>
    public IReadOnlyList<(string FaceId, string? Previous)> SetNames(IReadOnlyList<(string FaceId, string? Name)> names)
    {
        var previous = new List<(string, string?)>();
        lock (_gate)
            WithLock(() =>
            {
                var lines = new List<(string, string?)>();
                foreach (var (face, name) in names)
                {
                    previous.Add((face, _log.Names.GetValueOrDefault(face)));
                    lines.Add((face, string.IsNullOrWhiteSpace(name) ? null : name.Trim()));
                }
                WriteBatch([], lines);
            });
        return previous;
    }

    /// <summary>Appends one batch to the log (under the lock) and applies it to the state.</summary>
    void WriteBatch(IReadOnlyList<FaceLog.LogRecord> records, IReadOnlyList<(string FaceId, string? Name)> names)
    {
        if (!File.Exists(LogPath)) AtomicFile.WriteAllBytes(LogPath, FaceLog.HeaderLine(FaceLog.NewLogId()));
        var bytes = FaceLog.Batch(records, names, DateTime.UtcNow);
        using (var fs = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            fs.Seek(0, SeekOrigin.End);
            fs.Write(bytes);
            fs.Flush(flushToDisk: true);
        }
        FaceLog.Replay(LogPath, _log);
    }

    /// <summary>
    /// Runs <paramref name="write"/> under the face lock, after taking in what other writers committed (all of it again
    /// when a compaction rewrote the log) and cutting off a batch a crash interrupted.
    /// </summary>
    void WithLock(Action write)
    {
        Directory.CreateDirectory(Folder);
        using var held = StoreLock.Acquire(LogPath, TimeSpan.FromMinutes(10));
        try
        {
            AtomicFile.SweepDebris(Folder);
            Migrate(lenient: false, locked: true);
            if (File.Exists(LogPath))
            {
                if (LogIdOnDisk() != _log.LogId) Load();
                else
                {
                    // Only what other writers committed since is read and checked: a commit costs its batch, not the store.
                    _log.Touched.Clear();
                    FaceLog.Replay(LogPath, _log);
                    if (_log.Touched.Count > 0)
                    {
                        var changed = Backed(_log.Touched.Select(id => _log.Records[id]));
                        foreach (var id in _log.Touched)
                            if (changed.TryGetValue(id, out var r)) _records[id] = r;
                            else _records.Remove(id);
                    }
                }
                using var fs = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                if (fs.Length != _log.CommittedBytes) fs.SetLength(_log.CommittedBytes);
            }
            else if (_log.LogId is not null)
            {
                // Deleted behind our back (Remove-MediaFace -All): start again empty.
                _log = new FaceLog.State();
                _records = new(StringComparer.Ordinal);
                _vectors = null;
            }
            write();
        }
        catch (FaceLog.DamagedException ex) { throw Damaged(ex.Message); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw Unreadable(ex); }
    }

    string? LogIdOnDisk()
    {
        try
        {
            using var fs = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var first = new StreamReader(fs).ReadLine();
            if (first is null) return null;
            using var doc = System.Text.Json.JsonDocument.Parse(first);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("log", out var id) ? id.ToString() : null;
        }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>
    /// Compacts the face log (one line per asset, names inline) and the face vectors, dropping assets
    /// <paramref name="keepAsset"/> rejects. With <paramref name="onlyIfNeeded"/>, the log only when its replaced lines
    /// pass <see cref="CompactFraction"/>, the vectors by the vector store's own rule.
    /// </summary>
    public void Compact(Func<string, bool>? keepAsset = null, bool onlyIfNeeded = false, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            WithLock(() =>
            {
                var lines = _log.Records.Count + _log.Superseded;
                var dropped = keepAsset is null ? 0 : _log.Records.Keys.Count(id => !keepAsset(id));
                if (!onlyIfNeeded || _log.Superseded + dropped > lines * CompactFraction) RewriteLog(keepAsset);
                if (StoreSnapshot.Exists(VectorLocation) && _records.Values.FirstOrDefault(r => r.Faces.Count > 0) is { } any)
                    Vectors(any.ModelId, repair: false).Compact(keepAsset, onlyIfNeeded, cancellationToken);
            });
    }

    /// <summary>Writes the current records (names inline) as a new log with a new id, replacing the old one atomically.</summary>
    void RewriteLog(Func<string, bool>? keepAsset)
    {
        var records = _log.Records.Values.Where(r => keepAsset?.Invoke(r.AssetId) != false).OrderBy(r => r.AssetId, StringComparer.Ordinal)
            .Select(r => r with { Names = NamesOf(r.AssetId, r.Faces.Count) }).ToList();
        AtomicFile.WriteAllBytes(LogPath, FaceLog.Compacted(FaceLog.NewLogId(), records));
        _log = new FaceLog.State();
        FaceLog.Replay(LogPath, _log);
        _records = Backed(_log.Records.Values);
    }

    IReadOnlyList<string?>? NamesOf(string assetId, int faces)
    {
        var names = Enumerable.Range(0, faces).Select(i => _log.Names.GetValueOrDefault(FaceRecord.FaceId(assetId, i))).ToList();
        return names.Any(n => n is not null) ? names : null;
    }

    /// <summary>
    /// Optimize-MediaStore -Model faces: migrates this morning's format, compacts both parts, and repairs damage keeping
    /// whatever proves itself (log lines with their sums, vectors passing the per-row check). Null when there is no face data.
    /// </summary>
    /// <returns>The vector store's compaction, with the face log's dropped lines counted as damaged too.</returns>
    public static StoreCompaction? Optimize(MediaLibrary library, Func<string, bool>? keepAsset, CancellationToken cancellationToken)
    {
        if (!Exists(library)) return null;
        var store = new FaceStore(library);
        Directory.CreateDirectory(store.Folder);
        using var held = StoreLock.Acquire(store.LogPath, TimeSpan.FromMinutes(10));
        try
        {
            AtomicFile.SweepDebris(store.Folder);
            var migrated = store.Migrate(lenient: true, locked: true);
            var badLines = 0;
            if (File.Exists(store.LogPath))
            {
                var state = new FaceLog.State();
                try { FaceLog.Replay(store.LogPath, state); }
                catch (FaceLog.DamagedException)
                {
                    state = new FaceLog.State();
                    badLines = FaceLog.Replay(store.LogPath, state, lenient: true);
                }
                store._log = state;
            }
            var vectors = EmbeddingStore.Optimize(store.VectorLocation, keepAsset, cancellationToken);
            if (File.Exists(store.LogPath)) store.RewriteLog(keepAsset);
            var result = vectors ?? new StoreCompaction();
            return result with { Library = library.Root, Model = VectorModel, Damaged = result.Damaged + badLines, Migrated = result.Migrated || migrated };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw store.Unreadable(ex); }
    }

    /// <summary>
    /// Moves this morning's face store (faces.jsonl + faces.f32 + names.jsonl) into the face log and the vector store:
    /// vectors first, then the log in one atomic write (the commit point), then the old files are deleted. A crash before
    /// the log is written leaves the old store as it was. Names travel inline with their records.
    /// </summary>
    /// <returns>True when there was something to migrate.</returns>
    bool Migrate(bool lenient, bool locked = false)
    {
        if (!FaceStoreV1.Exists(Folder)) return false;
        if (!locked)
        {
            lock (_gate)
            {
                using var held = StoreLock.Acquire(LogPath, TimeSpan.FromMinutes(10));
                return Migrate(lenient, locked: true);
            }
        }
        if (File.Exists(LogPath))
        {
            // The log was committed by a migration that crashed before deleting the old files.
            foreach (var f in FaceStoreV1.Files(Folder)) AtomicFile.TryDelete(f);
            return false;
        }
        Dictionary<string, FaceRecord> records;
        Dictionary<string, string> names;
        try { (records, names) = FaceStoreV1.Read(Folder, lenient); }
        catch (System.Text.Json.JsonException ex) { throw Damaged($"its earlier format cannot be read ({ex.Message})"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw Unreadable(ex); }
        // The vector store holds one model's vectors: the one most records were made with. Others stay records without
        // vectors (re-analysed by the next Add-MediaFace, their names carried over).
        var modelId = records.Values.Where(r => r.Faces.Count > 0).GroupBy(r => r.ModelId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        var logged = new List<FaceLog.LogRecord>();
        var rows = new List<StoreRow>();
        foreach (var r in records.Values.OrderBy(r => r.AssetId, StringComparer.Ordinal))
        {
            var token = NewToken();
            var faceNames = Enumerable.Range(0, r.Faces.Count).Select(i => names.GetValueOrDefault(FaceRecord.FaceId(r.AssetId, i))).ToList();
            logged.Add(new FaceLog.LogRecord(r.AssetId, r.Stamp, r.ModelId, token, r.Faces, faceNames.Any(n => n is not null) ? faceNames : null));
            if (r.ModelId != modelId) continue;
            var unit = r.Faces.Select(f => Unit(f.Vector)).ToList();
            if (unit.Any(v => v is null)) continue;
            for (var i = 0; i < unit.Count; i++) rows.Add(new StoreRow(EmbeddingStore.Key(r.AssetId, i + 1), VectorStamp(r.Stamp, token), unit[i]!));
        }
        if (rows.Count > 0)
            EmbeddingStore.OpenOrCreate(Library, VectorModel, modelId!, FaceModelFiles.Dimension, Preprocessing, repair: true).Append(rows);
        AtomicFile.WriteAllBytes(LogPath, FaceLog.Compacted(FaceLog.NewLogId(), logged));
        foreach (var f in FaceStoreV1.Files(Folder)) AtomicFile.TryDelete(f);
        return true;
    }

    static float[]? Unit(float[] v)
    {
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        if (!float.IsFinite(norm) || norm < 1e-6f || v.Length != FaceModelFiles.Dimension) return null;
        var u = new float[v.Length];
        System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, u);
        return u;
    }

    /// <summary>Deletes every face, vector and name of the library (the user's "forget all faces").</summary>
    public static void DeleteAll(MediaLibrary library)
    {
        var folder = FolderOf(library);
        var vectors = new StoreLocation(library, VectorModel).Folder;
        if (!Directory.Exists(folder) && !Directory.Exists(vectors)) return;
        Directory.CreateDirectory(folder);
        using (StoreLock.Acquire(Path.Combine(folder, FaceLog.FileName), TimeSpan.FromMinutes(10)))
        {
            if (Directory.Exists(vectors))
            {
                using (StoreLock.Acquire(Path.Combine(vectors, StoreFiles.LockBase), TimeSpan.FromMinutes(10)))
                    foreach (var f in Directory.EnumerateFiles(vectors).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))) File.Delete(f);
                Directory.Delete(vectors, recursive: true);
            }
            foreach (var f in Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))) File.Delete(f);
        }
        Directory.Delete(folder, recursive: true);
    }

    MediaTaggerException Damaged(string why) => new(ErrorIds.FaceStoreDamaged,
        $"The face data of '{Library.Root}' is damaged: {why}. Face search, naming and Add-MediaFace refuse it until it is repaired. " +
        $"Repair it with: {VectorLocation.RepairCommand} (keeps every face record and vector that proves itself; the next {VectorLocation.IndexCommand} analyses the dropped files again).",
        ErrorKind.InvalidData, Folder);

    MediaTaggerException Unreadable(Exception ex) => new(ErrorIds.FaceStoreUnreadable,
        $"The face data of '{Library.Root}' cannot be read: {ex.Message}", ErrorKind.ReadError, Folder, ex);
}

using System.Runtime.InteropServices;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Store;

/// <summary>
/// The vectors of one model for one library (data/embeddings/&lt;model&gt;/), and the only code that writes them.
/// Rows are raw little-endian float32, appended; the index is an append-only JSON Lines log (key → row, stamp, sum)
/// whose commit lines make a batch part of the store, so an append costs the batch, never the store. The meta names the
/// current generation of data and index; compaction and migration write the next generation beside it and switch by
/// replacing the meta. Writers of several processes (or machines sharing the folder) take turns under an OS lock on
/// embeddings.lock and read each other's commits before adding theirs. See docs/store.md.
/// </summary>
/// <remarks>Keys are asset ids, with "#2", "#3"… for further frames (or sub-items) of the same asset. Appending an
/// asset's rows replaces all its rows: a video re-rendered with fewer frames keeps no stale frame.</remarks>
public sealed class EmbeddingStore
{
    /// <summary>Automatic compaction runs once superseded (and, when known, uncatalogued) rows pass this share of the store.</summary>
    public const double CompactFraction = 0.25;

    /// <summary>How long a writer waits for another one (a compaction of a large store takes a while).</summary>
    static readonly TimeSpan WriterWait = TimeSpan.FromMinutes(10);

    // Add-MediaEmbedding checks IsCurrent on one thread while its writer appends on another.
    readonly object _gate = new();
    IndexLog.State _state;
    (long Length, DateTime Time) _metaSeen;
    DateTime _refreshed;
    bool _swept;

    EmbeddingStore(StoreLocation location, EmbeddingMeta meta, IndexLog.State state)
    {
        Location = location;
        Meta = meta;
        _state = state;
        _metaSeen = MetaStat();
        _refreshed = DateTime.UtcNow;
    }

    public StoreLocation Location { get; }
    public string Folder => Location.Folder;

    /// <summary>What <see cref="OpenOrCreate"/> with repair did to a damaged store; null when it needed none.</summary>
    public StoreCompaction? Repaired { get; private set; }
    public EmbeddingMeta Meta { get; private set; }
    public int Dimension => Meta.Dim;

    /// <summary>Committed rows of the data file, superseded ones included.</summary>
    public int RowCount { get { lock (_gate) return _state.Rows; } }

    /// <summary>Keys with a live row.</summary>
    public int LiveCount { get { lock (_gate) return _state.Live.Count; } }

    /// <summary>Rows no key names any more: what compaction reclaims.</summary>
    public int Superseded { get { lock (_gate) return _state.Rows - _state.Live.Count; } }

    bool Created => Meta.FormatVersion == EmbeddingMeta.CurrentFormat && Meta.Generation is > 0;

    public static string FolderFor(MediaLibrary library, string model) => StoreFiles.FolderFor(library, model);

    public static bool Exists(MediaLibrary library, string model) => StoreSnapshot.Exists(new StoreLocation(library, model));

    public static string Key(string assetId, int frame = 1) => frame <= 1 ? assetId : $"{assetId}#{frame}";

    public static (string AssetId, int Frame) ParseKey(string key)
    {
        var hash = key.IndexOf('#');
        return hash < 0 ? (key, 1) : (key[..hash], int.Parse(key.AsSpan(hash + 1)));
    }

    /// <summary>The asset id part of a key, without allocating (see <see cref="ParseKey"/>).</summary>
    public static ReadOnlySpan<char> AssetIdPart(string key)
    {
        var hash = key.IndexOf('#');
        return hash < 0 ? key : key.AsSpan(0, hash);
    }

    /// <summary>"&lt;id&gt;" or "&lt;id&gt;#&lt;n&gt;" with n ≥ 2, no control characters.</summary>
    public static bool IsValidKey(string key)
    {
        if (key.Length == 0) return false;
        foreach (var c in key)
            if (char.IsControl(c)) return false;
        var hash = key.IndexOf('#');
        return hash < 0 || (hash > 0 && int.TryParse(key.AsSpan(hash + 1), System.Globalization.NumberStyles.None, null, out var n) && n >= 2);
    }

    /// <summary>
    /// Opens the store of <paramref name="model"/> for writing (identity <paramref name="modelId"/>, <paramref name="dimension"/>
    /// floats per row), or an empty one that is created on the first append (a failed command never creates a store).
    /// </summary>
    /// <param name="repair">-Force: a damaged store keeps its intact rows and drops the rest (all of them when its meta is lost
    /// or it holds another model's vectors), after a full per-row check; then the caller re-embeds what it should hold.</param>
    /// <exception cref="MediaTaggerException">Damaged, another model's, or unreadable (without <paramref name="repair"/>).</exception>
    public static EmbeddingStore OpenOrCreate(MediaLibrary library, string model, string modelId, int dimension, string preprocessing, bool repair = false)
    {
        var at = new StoreLocation(library, model);
        var fresh = new EmbeddingMeta { Model = model, ModelId = modelId, Dim = dimension, Preprocessing = preprocessing };
        StoreSnapshot? snapshot;
        try
        {
            snapshot = StoreSnapshot.Open(at, withStamps: true, modelId, dimension);
        }
        catch (MediaTaggerException ex) when (repair && ex.ErrorId is ErrorIds.StoreDamaged or ErrorIds.StoreModelMismatch)
        {
            var store = new EmbeddingStore(at, fresh, new IndexLog.State());
            store.Repaired = store.Repair(ex.ErrorId == ErrorIds.StoreModelMismatch);
            return store;
        }
        if (snapshot is null) return new EmbeddingStore(at, fresh, new IndexLog.State());
        var opened = new EmbeddingStore(at, snapshot.Meta, snapshot.State);
        if (repair && opened.Verify(CancellationToken.None) > 0) opened.Repaired = opened.Repair(resetAll: false);
        return opened;
    }

    /// <summary>
    /// True when the asset has exactly <paramref name="frameStamps"/>.Count rows, computed from reps with these stamps.
    /// Takes in what other writers committed meanwhile, so two runs on one library skip each other's work.
    /// </summary>
    public bool IsCurrent(string assetId, IReadOnlyList<string> frameStamps)
    {
        lock (_gate)
        {
            RefreshUnlocked();
            for (var i = 0; i < frameStamps.Count; i++)
                if (!_state.Live.TryGetValue(Key(assetId, i + 1), out var e) || e.Stamp != frameStamps[i]) return false;
            return !_state.Live.ContainsKey(Key(assetId, frameStamps.Count + 1));
        }
    }

    /// <summary>True when <paramref name="key"/> has a live row.</summary>
    public bool Contains(string key)
    {
        lock (_gate) return _state.Live.ContainsKey(key);
    }

    /// <summary>
    /// Appends and commits rows (unit vectors of <see cref="Dimension"/> floats). The rows of an asset must be all of
    /// its rows: keys "&lt;id&gt;#n" beyond the last one given are dropped. Rows another writer already committed with the
    /// same stamp and the same vector are not written again. A format-1 store is migrated first; a crash loses at most this batch.
    /// </summary>
    /// <param name="emptied">Assets that now have no rows at all (a picture where no face is found any more): all their rows are dropped in the same batch.</param>
    /// <exception cref="ArgumentException">A vector of another dimension, not finite or not unit length, or a malformed key.</exception>
    public void Append(IReadOnlyList<StoreRow> rows, IReadOnlyCollection<string>? emptied = null)
    {
        if (rows.Count == 0 && (emptied is null || emptied.Count == 0)) return;
        var latest = new Dictionary<string, StoreRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!IsValidKey(row.Key)) throw new ArgumentException($"'{row.Key}' is not a store key.", nameof(rows));
            if (row.Vector.Length != Meta.Dim) throw new ArgumentException($"A vector of {row.Vector.Length} dimensions cannot go into a store of {Meta.Dim}.", nameof(rows));
            if (!RowCheck.IsUnit(row.Vector)) throw new ArgumentException($"The vector of '{row.Key}' is not a finite unit vector.", nameof(rows));
            latest[row.Key] = row;
        }
        lock (_gate)
            WithLock(() =>
            {
                if (!Created) Rewrite(_state.Live.Values.OrderBy(e => e.Row).ToList(), []);
                var first = _state.Rows;
                var entries = new List<StoreEntry>(latest.Count);
                var written = new List<float[]>(latest.Count);
                foreach (var row in latest.Values)
                {
                    var sum = RowCheck.Sum(row.Key, row.Vector);
                    // The same vector from the same rep (another writer's, or -Force on an unchanged rep) is already stored.
                    if (_state.Live.TryGetValue(row.Key, out var e) && e.Stamp == row.Stamp && e.HasSum && e.Sum == sum) continue;
                    entries.Add(new StoreEntry(row.Key, first + entries.Count, row.Stamp, sum, true));
                    written.Add(row.Vector);
                }
                var drops = new List<string>();
                foreach (var group in latest.Keys.Select(ParseKey).GroupBy(k => k.AssetId, StringComparer.Ordinal))
                    for (var frame = group.Max(k => k.Frame) + 1; _state.Live.ContainsKey(Key(group.Key, frame)); frame++)
                        drops.Add(Key(group.Key, frame));
                foreach (var asset in emptied ?? [])
                    for (var frame = 1; _state.Live.ContainsKey(Key(asset, frame)); frame++)
                        drops.Add(Key(asset, frame));
                if (entries.Count == 0 && drops.Count == 0) return;

                var rowBytes = (long)Meta.Dim * sizeof(float);
                using (var data = new FileStream(DataPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
                {
                    data.Seek(first * rowBytes, SeekOrigin.Begin);
                    foreach (var v in written) data.Write(MemoryMarshal.AsBytes(v.AsSpan()));
                    // Rows durable before the commit that makes them part of the store.
                    data.Flush(flushToDisk: true);
                }
                var lines = IndexLog.Encode(entries, drops, first);
                using (var index = new FileStream(IndexPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1))
                {
                    index.Seek(_state.CommittedBytes, SeekOrigin.Begin);
                    index.Write(lines);
                    index.Flush(flushToDisk: true);
                }
                foreach (var e in entries) _state.Live[e.Key] = e;
                foreach (var d in drops) _state.Live.Remove(d);
                _state.Rows = first + entries.Count;
                _state.CommittedBytes += lines.Length;
            });
    }

    /// <summary>
    /// Rewrites the store with only its live rows (keys whose asset <paramref name="keepAsset"/> rejects are dropped too),
    /// checking every row on the way: a damaged row is dropped, never copied. Crash-safe: the new generation becomes the
    /// store only when the meta naming it replaces the old one. A format-1 store is migrated.
    /// </summary>
    /// <param name="onlyIfNeeded">Only when what would be dropped passes <see cref="CompactFraction"/> of the rows (or the store is format 1).</param>
    /// <returns>What was done; null when nothing was (no store, or not needed).</returns>
    public StoreCompaction? Compact(Func<string, bool>? keepAsset = null, bool onlyIfNeeded = false, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            StoreCompaction? result = null;
            if (!Created && _state.Rows == 0 && !File.Exists(MetaPath)) return null;
            WithLock(() =>
            {
                var live = _state.Live.Values.OrderBy(e => e.Row).ToList();
                var keep = keepAsset is null ? live : live.Where(e => keepAsset(ParseKey(e.Key).AssetId)).ToList();
                var superseded = _state.Rows - live.Count;
                if (onlyIfNeeded && Created && _state.Rows - keep.Count <= _state.Rows * CompactFraction) return;
                result = Rewrite(keep, [], cancellationToken) with { Removed = live.Count - keep.Count, Superseded = superseded };
            });
            return result is null ? null : Finish(result);
        }
    }

    StoreCompaction Finish(StoreCompaction r) => r with { Library = Location.Library.Root, Model = Location.Model };

    /// <summary>Reads every live row and counts those that fail the per-row check (the check a load into memory runs).</summary>
    public int Verify(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var bad = 0;
            ForEachRow(_state.Live.Values.OrderBy(e => e.Row).ToList(), DataPath, Meta.Dim, cancellationToken, (_, _, intact) =>
            {
                if (!intact) bad++;
            });
            return bad;
        }
    }

    /// <summary>
    /// -Force or Optimize-MediaStore on a damaged store: keeps every row that still proves itself (readable index line,
    /// inside the data file, finite, unit length, matching sum) and drops the rest; with <paramref name="resetAll"/> (meta
    /// lost, or another model's vectors) starts an empty store of this store's model.
    /// </summary>
    StoreCompaction Repair(bool resetAll, Func<string, bool>? keepAsset = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            StoreCompaction? result = null;
            WithLock(() =>
            {
                var candidates = resetAll ? null : Salvageable();
                if (candidates is null)
                {
                    Meta = new EmbeddingMeta { Model = Meta.Model, ModelId = Meta.ModelId, Dim = Meta.Dim, Preprocessing = Meta.Preprocessing, Generation = HighestGeneration() };
                    _state = new IndexLog.State();
                    result = Rewrite([], [], cancellationToken) with { Reset = true };
                    return;
                }
                var keep = keepAsset is null ? candidates : candidates.Where(e => keepAsset(ParseKey(e.Key).AssetId)).ToList();
                result = Rewrite(keep, [], cancellationToken) with { Removed = candidates.Count - keep.Count };
            }, refresh: false);
            return Finish(result!);
        }
    }

    /// <summary>
    /// Optimize-MediaStore: compacts the store at <paramref name="at"/> (see <see cref="Compact"/>), or repairs it when it
    /// is damaged (keeping the rows that still prove themselves). Null when there is no store.
    /// </summary>
    /// <exception cref="MediaTaggerException">Its meta is lost or it holds another model's vectors (only a rebuild helps), or unreadable.</exception>
    public static StoreCompaction? Optimize(StoreLocation at, Func<string, bool>? keepAsset = null, CancellationToken cancellationToken = default)
    {
        StoreSnapshot? snapshot;
        try
        {
            snapshot = StoreSnapshot.Open(at, withStamps: true);
        }
        catch (MediaTaggerException ex) when (ex.ErrorId == ErrorIds.StoreDamaged && ReadMeta(at) is { } meta)
        {
            return new EmbeddingStore(at, meta, new IndexLog.State()).Repair(resetAll: false, keepAsset, cancellationToken);
        }
        if (snapshot is null) return null;
        return new EmbeddingStore(at, snapshot.Meta, snapshot.State).Compact(keepAsset, onlyIfNeeded: false, cancellationToken);
    }

    static EmbeddingMeta? ReadMeta(StoreLocation at)
    {
        try { return Json.Read<EmbeddingMeta>(Path.Combine(at.Folder, StoreFiles.MetaFile)); }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>The entries a damaged store can still offer, or null when its meta cannot be trusted.</summary>
    List<StoreEntry>? Salvageable()
    {
        var meta = ReadMeta(Location);
        if (meta is null || meta.Dim != Meta.Dim || meta.ModelId != Meta.ModelId || meta.FormatVersion is < 1 or > EmbeddingMeta.CurrentFormat) return null;
        Meta = meta;
        var rowBytes = (long)meta.Dim * sizeof(float);
        var data = DataPath;
        var dataRows = File.Exists(data) ? (int)Math.Min(int.MaxValue, new FileInfo(data).Length / rowBytes) : 0;
        var state = new IndexLog.State();
        if (meta.FormatVersion == 1)
        {
            // Format 1 has no sums: rows two keys claim cannot be told apart, so both go.
            var claims = new Dictionary<int, int>();
            var stamps = SalvageV1Stamps();
            foreach (var (key, row) in SalvageV1Index())
            {
                if (row < 0 || row >= Math.Min(dataRows, meta.Count ?? 0) || !IsValidKey(key)) continue;
                claims[row] = claims.GetValueOrDefault(row) + 1;
                state.Live[key] = new StoreEntry(key, row, stamps.GetValueOrDefault(key), 0, false);
            }
            foreach (var e in state.Live.Values.Where(e => claims[e.Row] > 1).ToList()) state.Live.Remove(e.Key);
        }
        else if (File.Exists(IndexPath))
        {
            IndexLog.Replay(IndexPath, state, withStamps: true, meta, lenient: true, dataRows);
        }
        _state = new IndexLog.State { Rows = dataRows };
        // A row several keys claim keeps the one whose sum it matches (checked when copied).
        return state.Live.Values.OrderBy(e => e.Row).ToList();
    }

    List<(string, int)> SalvageV1Index()
    {
        var list = new List<(string, int)>();
        try
        {
            var bytes = File.ReadAllBytes(Path.Combine(Folder, StoreFiles.V1Index));
            var reader = new System.Text.Json.Utf8JsonReader(bytes, new System.Text.Json.JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
            reader.Read();
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == System.Text.Json.JsonTokenType.Number && reader.TryGetInt32(out var row)) list.Add((key, row));
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or InvalidOperationException) { }
        return list;
    }

    Dictionary<string, string> SalvageV1Stamps()
    {
        try { return Json.Read<Dictionary<string, string>>(Path.Combine(Folder, StoreFiles.V1Stamps), Json.Compact) ?? []; }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException) { return []; }
    }

    int HighestGeneration() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "embeddings.g*").Select(f => System.Text.RegularExpressions.Regex.Match(Path.GetFileName(f), @"^embeddings\.g(\d+)\."))
                .Where(m => m.Success).Select(m => int.TryParse(m.Groups[1].Value, out var g) ? g : 0).DefaultIfEmpty(0).Max()
            : 0;

    string MetaPath => Path.Combine(Folder, StoreFiles.MetaFile);

    string DataPath => Path.Combine(Folder, Meta.FormatVersion == 1 ? StoreFiles.V1Data : StoreFiles.DataFile(Meta.Generation ?? 0));

    string IndexPath => Path.Combine(Folder, StoreFiles.IndexFile(Meta.Generation ?? 0));

    (long, DateTime) MetaStat()
    {
        var f = new FileInfo(MetaPath);
        return f.Exists ? (f.Length, f.LastWriteTimeUtc) : (-1, default);
    }

    /// <summary>Runs <paramref name="write"/> holding the store's writer lock, after taking in what other writers committed.</summary>
    void WithLock(Action write, bool refresh = true)
    {
        Directory.CreateDirectory(Folder);
        using var held = StoreLock.Acquire(Path.Combine(Folder, StoreFiles.LockBase), WriterWait);
        if (refresh) RefreshLocked();
        if (!_swept && refresh)
        {
            SweepDebris();
            _swept = true;
        }
        write();
        _metaSeen = MetaStat();
        _refreshed = DateTime.UtcNow;
    }

    /// <summary>Under the lock: reload after another writer's compaction, take in its appends, cut off a crashed batch.</summary>
    void RefreshLocked()
    {
        Reload(force: MetaStat() != _metaSeen);
        if (!Created) return;
        // Bytes beyond the last commit are a batch a crash interrupted: cut them off before adding ours.
        using (var index = new FileStream(IndexPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1))
            if (index.Length != _state.CommittedBytes) index.SetLength(_state.CommittedBytes);
        var rowsBytes = (long)_state.Rows * Meta.Dim * sizeof(float);
        using (var data = new FileStream(DataPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1))
            if (data.Length != rowsBytes) data.SetLength(rowsBytes);
    }

    /// <summary>Without the lock, at most a few times a second: takes in other writers' commits.</summary>
    void RefreshUnlocked()
    {
        if (DateTime.UtcNow - _refreshed < TimeSpan.FromMilliseconds(250)) return;
        _refreshed = DateTime.UtcNow;
        Reload(force: MetaStat() != _metaSeen);
    }

    void Reload(bool force)
    {
        if (force)
        {
            var snapshot = StoreSnapshot.Open(Location, withStamps: true, Meta.ModelId, Meta.Dim);
            _metaSeen = MetaStat();
            if (snapshot is null)
            {
                // Removed behind our back: start again empty, as for a new store.
                Meta = new EmbeddingMeta { Model = Meta.Model, ModelId = Meta.ModelId, Dim = Meta.Dim, Preprocessing = Meta.Preprocessing };
                _state = new IndexLog.State();
                return;
            }
            Meta = snapshot.Meta;
            _state = snapshot.State;
            return;
        }
        if (!Created || !File.Exists(IndexPath) || new FileInfo(IndexPath).Length == _state.CommittedBytes) return;
        try
        {
            IndexLog.Replay(IndexPath, _state, withStamps: true, Meta);
        }
        catch (StoreFormatException ex)
        {
            throw StoreErrors.Damaged(Location, ex.Message);
        }
    }

    /// <summary>Removes temp files of crashed writers and data of generations the meta no longer names.</summary>
    void SweepDebris()
    {
        AtomicFile.SweepDebris(Folder);
        if (!Created) return;
        var current = new HashSet<string>([Path.GetFileName(DataPath), Path.GetFileName(IndexPath)], StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            var name = Path.GetFileName(file);
            if ((StoreFiles.IsStoreFile(name) && !current.Contains(name)) || name == StoreFiles.MetaFile + ".lock") AtomicFile.TryDelete(file);
        }
    }

    /// <summary>
    /// Writes <paramref name="keep"/> (ordered by row) as the next generation, checking each row; switches to it by
    /// replacing the meta; then deletes the previous generation. Also creates (nothing to keep) and migrates (format 1).
    /// </summary>
    StoreCompaction Rewrite(List<StoreEntry> keep, IReadOnlyCollection<string> drops, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var oldFiles = Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder).Where(f => StoreFiles.IsStoreFile(Path.GetFileName(f))).ToList()
            : [];
        var bytesBefore = oldFiles.Sum(f => new FileInfo(f).Length);
        var migrated = Meta.FormatVersion == 1;
        var rowsBefore = _state.Rows;
        var generation = Math.Max(Meta.FormatVersion == 1 ? 0 : Meta.Generation ?? 0, HighestGeneration()) + 1;
        var dataPath = Path.Combine(Folder, StoreFiles.DataFile(generation));
        var indexPath = Path.Combine(Folder, StoreFiles.IndexFile(generation));
        var rowBytes = Meta.Dim * sizeof(float);
        var kept = new List<StoreEntry>(keep.Count);
        var damaged = 0;
        long indexBytes = 0;
        using (var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 20))
        {
            if (keep.Count > 0)
                ForEachRow(keep, DataPath, Meta.Dim, cancellationToken, (e, row, intact) =>
                {
                    // A row several keys claim keeps only the key whose sum it matches.
                    if (!intact)
                    {
                        damaged++;
                        return;
                    }
                    kept.Add(new StoreEntry(e.Key, kept.Count, e.Stamp, e.HasSum ? e.Sum : RowCheck.Sum(e.Key, row), true));
                    data.Write(MemoryMarshal.AsBytes(row));
                });
            data.Flush(flushToDisk: true);
        }
        var next = new EmbeddingMeta
        {
            FormatVersion = EmbeddingMeta.CurrentFormat,
            Model = string.IsNullOrEmpty(Meta.Model) ? Location.Model : Meta.Model,
            ModelId = Meta.ModelId,
            Dim = Meta.Dim,
            Preprocessing = Meta.Preprocessing,
            Generation = generation,
            UpdatedUtc = DateTime.UtcNow,
        };
        using (var index = new FileStream(indexPath, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 20))
        {
            var header = IndexLog.Header(next);
            index.Write(header);
            indexBytes += header.Length;
            // The whole generation is one batch: its only commit line comes last.
            const int Chunk = 65536;
            for (var i = 0; ; i += Chunk)
            {
                var last = i + Chunk >= kept.Count;
                var lines = IndexLog.Encode(kept.GetRange(i, Math.Min(Chunk, kept.Count - i)), last ? drops : [], i, commit: last);
                index.Write(lines);
                indexBytes += lines.Length;
                if (last) break;
            }
            index.Flush(flushToDisk: true);
        }
        // The commit point: from here the new generation is the store.
        Json.Write(MetaPath, next);
        Meta = next;
        _state = new IndexLog.State { Rows = kept.Count, CommittedBytes = indexBytes };
        foreach (var e in kept) _state.Live[e.Key] = e;
        foreach (var file in oldFiles) AtomicFile.TryDelete(file);
        AtomicFile.TryDelete(Path.Combine(Folder, StoreFiles.MetaFile + ".lock"));
        var bytesAfter = new FileInfo(dataPath).Length + new FileInfo(indexPath).Length;
        return new StoreCompaction
        {
            RowsBefore = rowsBefore,
            RowsAfter = kept.Count,
            Damaged = damaged,
            BytesBefore = bytesBefore,
            BytesAfter = bytesAfter,
            Migrated = migrated,
            Duration = started.Elapsed,
        };
    }

    delegate void RowAction(StoreEntry entry, ReadOnlySpan<float> row, bool intact);

    /// <summary>
    /// Calls <paramref name="body"/> with each entry (ordered by row), its row (empty when beyond the end of the data
    /// file) and whether it passes the per-row check; rows are read in large sequential chunks and each chunk is checked
    /// on all cores before the calls.
    /// </summary>
    static void ForEachRow(List<StoreEntry> byRow, string dataPath, int dim, CancellationToken cancellationToken, RowAction body)
    {
        if (byRow.Count == 0) return;
        if (!File.Exists(dataPath))
        {
            foreach (var e in byRow) body(e, default, false);
            return;
        }
        var rowBytes = dim * sizeof(float);
        var rowsPerChunk = Math.Max(1, (16 << 20) / rowBytes);
        var buffer = new float[(long)rowsPerChunk * dim];
        using var handle = File.OpenHandle(dataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        var fileRows = RandomAccess.GetLength(handle) / rowBytes;
        var intact = new bool[rowsPerChunk];
        for (var first = 0; first < byRow.Count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (byRow[first].Row >= fileRows)
            {
                body(byRow[first++], default, false);
                continue;
            }
            long chunkStart = byRow[first].Row;
            var chunkRows = Math.Min(rowsPerChunk, fileRows - chunkStart);
            var bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, (int)(chunkRows * dim)));
            for (var done = 0; done < bytes.Length;)
            {
                var n = RandomAccess.Read(handle, bytes[done..], chunkStart * rowBytes + done);
                if (n <= 0) throw new EndOfStreamException($"{Path.GetFileName(dataPath)} ended early.");
                done += n;
            }
            var end = first;
            while (end < byRow.Count && byRow[end].Row < chunkStart + chunkRows) end++;
            var from = first;
            // Several keys may claim one row (a damaged index): each gets its own verdict.
            if (end - from > intact.Length) intact = new bool[end - from];
            Parallel.For(from, end, new ParallelOptions { CancellationToken = cancellationToken },
                k => intact[k - from] = RowCheck.Problem(byRow[k], buffer.AsSpan((int)((byRow[k].Row - chunkStart) * dim), dim)) is null);
            for (var k = from; k < end; k++)
                body(byRow[k], buffer.AsSpan((int)((byRow[k].Row - chunkStart) * dim), dim), intact[k - from]);
            first = end;
        }
    }
}

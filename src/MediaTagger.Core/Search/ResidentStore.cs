using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Search;

/// <summary>
/// The live vectors of one embedding store held in memory for searching: one 64-byte-aligned native block
/// (outside the GC heap, so a 1M × 512 store costs its 2 GB plus the keys, never a second copy), rows ordered so the
/// frames of a video are adjacent and form one group. Reference-counted: a reload never frees a block a query is still reading.
/// A large store also gets an int8 copy (<see cref="Compact"/>) that searches scan first; its float32 rows are then
/// only re-scored for a shortlist, so where the file can be shared (not on Windows, which would lock it against the
/// writer) they are memory-mapped rather than copied, and stay in the page cache rather than in this process.
/// </summary>
public sealed unsafe class ResidentStore
{
    const int ReadChunkBytes = 64 << 20;

    /// <summary>From this many rows on, a store gets its int8 copy: below it a float32 scan takes well under a millisecond.</summary>
    public const int CompactMinRows = 32_768;

    float* _vectors;
    MemoryMappedViewAccessor? _view;
    int _refs = 1;

    ResidentStore(string folder, EmbeddingMeta meta, StoreStamp stamp, string[] keys, int[]? groupStarts, float* vectors, MemoryMappedViewAccessor? view, CompactRows? compact)
    {
        Folder = folder;
        Meta = meta;
        Stamp = stamp;
        Keys = keys;
        GroupStarts = groupStarts;
        _vectors = vectors;
        _view = view;
        Compact = compact;
    }

    ~ResidentStore() => Free(finalizing: true);

    public string Folder { get; }
    public EmbeddingMeta Meta { get; }
    public StoreStamp Stamp { get; }
    public int Dimension => Meta.Dim;

    /// <summary>Store key ("&lt;asset id&gt;" or "&lt;asset id&gt;#&lt;frame&gt;") of each resident row.</summary>
    public string[] Keys { get; }

    public int RowCount => Keys.Length;

    /// <summary>First row of each asset plus a final end marker; null when every asset has exactly one row (then group = row).</summary>
    public int[]? GroupStarts { get; }

    public int GroupCount => GroupStarts is null ? Keys.Length : GroupStarts.Length - 1;

    /// <summary>The int8 copy searched first (stores of at least <see cref="CompactMinRows"/> rows), else null.</summary>
    public CompactRows? Compact { get; }

    /// <summary>True when the float32 rows are a read-only mapping of the data file rather than a copy.</summary>
    public bool IsMapped => _view is not null;

    public ReadOnlySpan<float> Row(int row) => new(_vectors + (long)row * Meta.Dim, Meta.Dim);

    public (int First, int End) RowsOf(int group) => GroupStarts is null ? (group, group + 1) : (GroupStarts[group], GroupStarts[group + 1]);

    public string AssetIdOf(int group) => EmbeddingStore.ParseKey(Keys[RowsOf(group).First]).AssetId;

    public int FrameOf(int row) => EmbeddingStore.ParseKey(Keys[row]).Frame;

    /// <summary>
    /// The groups (assets) of the given asset ids that are in the store, found in one pass over the keys: a query
    /// names a few anchors, so a lookup table over a million keys would cost more memory and time than it saves.
    /// </summary>
    public Dictionary<string, int> FindGroups(IReadOnlyCollection<string> assetIds)
    {
        var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (assetIds.Count == 0) return found;
        var wanted = assetIds.Select(id => id.ToLowerInvariant()).Distinct().ToArray();
        var set = wanted.Length > 8 ? new HashSet<string>(wanted, StringComparer.Ordinal) : null;
        for (var g = 0; g < GroupCount && found.Count < wanted.Length; g++)
        {
            var key = Keys[RowsOf(g).First];
            var id = key.Length == 40 ? key : EmbeddingStore.ParseKey(key).AssetId;
            if (set is not null)
            {
                if (set.Contains(id)) found[id] = g;
                continue;
            }
            foreach (var w in wanted)
                if (w[0] == id[0] && string.Equals(w, id, StringComparison.Ordinal)) found[w] = g;
        }
        return found;
    }

    internal bool TryAddRef()
    {
        while (true)
        {
            var refs = Volatile.Read(ref _refs);
            if (refs == 0) return false;
            if (Interlocked.CompareExchange(ref _refs, refs + 1, refs) == refs) return true;
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0)
        {
            Free();
            GC.SuppressFinalize(this);
        }
    }

    internal bool IsShared => Volatile.Read(ref _refs) > 1;

    void Free(bool finalizing = false)
    {
        var p = _vectors;
        _vectors = null;
        // A finalizer leaves the mapping to its own SafeHandle finalizer.
        if (!finalizing) Compact?.Dispose();
        if (_view is { } view)
        {
            _view = null;
            if (!finalizing && p != null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
            }
        }
        else if (p != null) NativeMemory.AlignedFree(p);
    }

    /// <summary>
    /// Reads the store in <paramref name="folder"/>: meta, index (streamed, no stamps), then the rows the index names.
    /// A dense store whose rows are already in group order is read straight into place; otherwise rows are copied
    /// chunk by chunk, skipping superseded ones. Retries when a writer commits while it reads.
    /// </summary>
    public static ResidentStore Load(string folder, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = StoreStamp.Read(folder);
            var store = LoadOnce(folder, before, cancellationToken);
            if (StoreStamp.Read(folder) == before) return store;
            store.Release();
            if (attempt >= 4)
                throw new MediaTaggerException(ErrorIds.SearchStoreBusy,
                    $"The store '{folder}' kept changing while it was read (Add-MediaEmbedding is writing to it). Search again when it has finished.",
                    ErrorKind.ResourceUnavailable, folder);
            Thread.Sleep(200);
        }
    }

    static ResidentStore LoadOnce(string folder, StoreStamp stamp, CancellationToken cancellationToken)
    {
        EmbeddingMeta meta;
        List<(string Key, int Row)> entries;
        try
        {
            meta = Json.Read<EmbeddingMeta>(Path.Combine(folder, EmbeddingStore.MetaFile)) ?? throw new JsonException("empty meta");
            entries = ReadIndex(Path.Combine(folder, EmbeddingStore.IndexFile));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            throw new MediaTaggerException(ErrorIds.StoreUnreadable, $"The store '{folder}' cannot be read: {ex.Message}", ErrorKind.ReadError, folder, ex);
        }

        var dataFile = Path.Combine(folder, EmbeddingStore.F32File);
        long expected = (long)meta.Count * meta.Dim * sizeof(float);
        if (meta.Dim <= 0 || meta.Count < 0 || Math.Max(0, stamp.DataLength) < expected)
            throw Damaged(folder, $"its meta promises {meta.Count} rows of {meta.Dim} floats ({expected} bytes) but {EmbeddingStore.F32File} has {Math.Max(0, stamp.DataLength)} bytes");

        var (keys, sourceRows, groupStarts) = Arrange(folder, meta, entries);
        var bytes = (long)keys.Length * meta.Dim * sizeof(float);
        var large = keys.Length >= CompactMinRows;
        float* vectors = null;
        MemoryMappedViewAccessor? view = null;
        CompactRows? compact = null;
        try
        {
            if (large && !OperatingSystem.IsWindows() && IsIdentity(sourceRows, meta.Count))
                view = Map(dataFile, bytes, out vectors);
            else if (bytes > 0)
            {
                vectors = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
                ReadRows(dataFile, meta, sourceRows, vectors, cancellationToken);
            }
            if (large) compact = CompactRows.Build(vectors, keys.Length, meta.Dim, cancellationToken);
        }
        catch (Exception ex)
        {
            compact?.Dispose();
            if (view is not null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
            }
            else NativeMemory.AlignedFree(vectors);
            if (ex is IOException or UnauthorizedAccessException)
                throw new MediaTaggerException(ErrorIds.StoreUnreadable, $"The store '{folder}' cannot be read: {ex.Message}", ErrorKind.ReadError, folder, ex);
            throw;
        }
        return new ResidentStore(folder, meta, stamp, keys, groupStarts, vectors, view, compact);
    }

    static bool IsIdentity(int[] sourceRows, int count)
    {
        if (sourceRows.Length != count) return false;
        for (var i = 0; i < sourceRows.Length; i++)
            if (sourceRows[i] != i) return false;
        return true;
    }

    /// <summary>
    /// Maps the first <paramref name="bytes"/> of the data file read-only. The writer only ever appends (and cuts rows
    /// beyond the committed count), and a rebuild replaces the file, so the mapped rows never change under a query.
    /// </summary>
    static MemoryMappedViewAccessor Map(string dataFile, long bytes, out float* rows)
    {
        using var stream = new FileStream(dataFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        var view = map.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.Read);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        rows = (float*)(p + view.PointerOffset);
        return view;
    }

    /// <summary>Streams embeddings.index.json (an object of key → row) without building a dictionary.</summary>
    static List<(string Key, int Row)> ReadIndex(string file)
    {
        if (!File.Exists(file)) return [];
        var bytes = File.ReadAllBytes(file);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var entries = new List<(string, int)>(Math.Max(16, bytes.Length / 52));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"{EmbeddingStore.IndexFile} is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            entries.Add((key, reader.GetInt32()));
        }
        return entries;
    }

    /// <summary>
    /// Orders the live rows: by file row, except that the frames of one asset are pulled together (frame order) so a
    /// group is a contiguous range. Returns each resident row's key and source row, and the group starts when any asset has several frames.
    /// </summary>
    static (string[] Keys, int[] SourceRows, int[]? GroupStarts) Arrange(string folder, EmbeddingMeta meta, List<(string Key, int Row)> entries)
    {
        // Rows at or beyond the committed count belong to a batch whose meta was never written (a crash between the
        // index and the meta replace): not part of the store, as EmbeddingStore.Open treats them.
        entries.RemoveAll(e => e.Row >= meta.Count);
        var seen = new bool[meta.Count];
        var multiFrame = false;
        foreach (var (key, row) in entries)
        {
            if (row < 0) throw Damaged(folder, $"its index names row {row} of key '{key}'");
            if (seen[row]) throw Damaged(folder, $"two keys of its index share row {row}");
            seen[row] = true;
            multiFrame |= key.Contains('#');
        }
        // The store writer appends, so its index is normally in row order already.
        var sorted = true;
        for (var i = 1; sorted && i < entries.Count; i++) sorted = entries[i - 1].Row < entries[i].Row;
        if (!sorted) entries.Sort((a, b) => a.Row.CompareTo(b.Row));
        if (!multiFrame)
            return (entries.Select(e => e.Key).ToArray(), entries.Select(e => e.Row).ToArray(), null);

        var parsed = new (string Key, int Row, string AssetId, int Frame, int FirstPos)[entries.Count];
        var firstPos = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var (key, row) = entries[i];
            (string asset, int frame) id;
            try { id = EmbeddingStore.ParseKey(key); }
            catch (FormatException) { throw Damaged(folder, $"its index holds the malformed key '{key}'"); }
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(firstPos, id.asset, out var exists);
            if (!exists) first = i;
            parsed[i] = (key, row, id.asset, id.frame, first);
        }
        Array.Sort(parsed, (a, b) => a.FirstPos != b.FirstPos ? a.FirstPos.CompareTo(b.FirstPos) : a.Frame.CompareTo(b.Frame));
        var starts = new List<int>(firstPos.Count + 1);
        for (var i = 0; i < parsed.Length; i++)
            if (i == 0 || parsed[i].FirstPos != parsed[i - 1].FirstPos) starts.Add(i);
        starts.Add(parsed.Length);
        return (parsed.Select(p => p.Key).ToArray(), parsed.Select(p => p.Row).ToArray(), starts.ToArray());
    }

    static void ReadRows(string dataFile, EmbeddingMeta meta, int[] sourceRows, float* destination, CancellationToken cancellationToken)
    {
        var rowBytes = meta.Dim * sizeof(float);
        using var handle = File.OpenHandle(dataFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        if (IsIdentity(sourceRows, meta.Count))
        {
            // Dense and in order: straight into place, no staging copy, one chunk per core at a time (copying out of
            // the page cache and faulting in fresh pages is faster on several cores than on one).
            var total = (long)sourceRows.Length * rowBytes;
            var chunks = (int)((total + ReadChunkBytes - 1) / ReadChunkBytes);
            Workers.For(chunks, Environment.ProcessorCount, cancellationToken, c =>
            {
                var offset = (long)c * ReadChunkBytes;
                ReadExactly(handle, (byte*)destination + offset, Math.Min(ReadChunkBytes, total - offset), offset, cancellationToken);
            });
            return;
        }
        var destinationOf = new int[meta.Count];
        Array.Fill(destinationOf, -1);
        for (var i = 0; i < sourceRows.Length; i++) destinationOf[sourceRows[i]] = i;
        var rowsPerChunk = Math.Max(1, ReadChunkBytes / rowBytes);
        var buffer = (byte*)NativeMemory.Alloc((nuint)((long)rowsPerChunk * rowBytes));
        try
        {
            for (var first = 0; first < meta.Count; first += rowsPerChunk)
            {
                var rows = Math.Min(rowsPerChunk, meta.Count - first);
                ReadExactly(handle, buffer, (long)rows * rowBytes, (long)first * rowBytes, cancellationToken);
                for (var r = 0; r < rows; r++)
                {
                    var to = destinationOf[first + r];
                    if (to >= 0) Buffer.MemoryCopy(buffer + (long)r * rowBytes, (byte*)destination + (long)to * rowBytes, rowBytes, rowBytes);
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte* destination, long count, long offset, CancellationToken cancellationToken)
    {
        long done = 0;
        while (done < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var span = new Span<byte>(destination + done, (int)Math.Min(ReadChunkBytes, count - done));
            var n = RandomAccess.Read(handle, span, offset + done);
            if (n <= 0) throw new EndOfStreamException($"{EmbeddingStore.F32File} ended early.");
            done += n;
        }
    }

    static MediaTaggerException Damaged(string folder, string why) =>
        new(ErrorIds.StoreTruncated, $"The store '{folder}' is damaged: {why}. Re-run Add-MediaEmbedding -Force to rebuild it.", ErrorKind.InvalidData, folder);
}

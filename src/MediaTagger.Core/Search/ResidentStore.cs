using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
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
    GroupIndex? _groupIndex;
    GroupAssets? _groupAssets;

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

    /// <summary>A copy of one row (for callers that cannot hold a span, such as PowerShell).</summary>
    public float[] CopyRow(int row) => Row(row).ToArray();

    public (int First, int End) RowsOf(int group) => GroupStarts is null ? (group, group + 1) : (GroupStarts[group], GroupStarts[group + 1]);

    public string AssetIdOf(int group) => EmbeddingStore.ParseKey(Keys[RowsOf(group).First]).AssetId;

    public int FrameOf(int row) => EmbeddingStore.ParseKey(Keys[row]).Frame;

    /// <summary>The assets of this store's groups in <paramref name="catalog"/>, remembered for the next query with the same catalog.</summary>
    internal GroupAssets AssetsIn(Library.AssetCatalog catalog)
    {
        var current = Volatile.Read(ref _groupAssets);
        if (current is not null && ReferenceEquals(current.Catalog, catalog)) return current;
        var fresh = new GroupAssets(this, catalog);
        Volatile.Write(ref _groupAssets, fresh);
        return fresh;
    }

    /// <summary>The groups (assets) of the given asset ids that are in the store, keyed by the lower-case id.</summary>
    public Dictionary<string, int> FindGroups(IReadOnlyCollection<string> assetIds)
    {
        var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (assetIds.Count == 0) return found;
        var index = LazyInitializer.EnsureInitialized(ref _groupIndex, () => new GroupIndex(Keys, GroupStarts));
        foreach (var id in assetIds)
        {
            var wanted = id.ToLowerInvariant();
            if (index.Find(wanted) is var g and >= 0) found[wanted] = g;
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
        // A finalizer leaves the mapping and the int8 copy to their own finalizers.
        if (!finalizing) Compact?.Dispose();
        if (_view is { } view)
        {
            _view = null;
            if (!finalizing && p != null) Unmap(view);
        }
        else if (p != null) NativeMemory.AlignedFree(p);
    }

    /// <summary>
    /// Reads the store at <paramref name="at"/> through its owner (<see cref="StoreSnapshot"/>: the cheap checks of every
    /// open, and with <paramref name="modelId"/> the model it must have been built with), then the rows the index names,
    /// then checks every row (finite, unit length, matching its sum). A dense store whose rows are already in group order
    /// is read straight into place; otherwise rows are copied chunk by chunk, skipping superseded ones. Retries when a
    /// writer commits while it reads.
    /// </summary>
    /// <exception cref="MediaTaggerException">No store, damaged (naming the repair), another model's, or unreadable.</exception>
    public static ResidentStore Load(StoreLocation at, string? modelId = null, int dimension = 0, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var snapshot = StoreSnapshot.Open(at, withStamps: false, modelId, dimension)
                ?? throw new MediaTaggerException(ErrorIds.SearchStoreMissing,
                    $"The library '{at.Library.Root}' has no embeddings of the model '{at.Model}'. Index it first: {at.IndexCommand}", ErrorKind.ObjectNotFound, at.Folder);
            ResidentStore store;
            try
            {
                store = LoadOnce(snapshot, cancellationToken);
            }
            catch (MediaTaggerException ex) when (ex.InnerException is FileNotFoundException && attempt < 4 && StoreStamp.Read(at.Folder) != snapshot.Stamp)
            {
                // A compaction replaced the files while they were read: read the new ones.
                continue;
            }
            if (StoreStamp.Read(at.Folder) == snapshot.Stamp) return store;
            store.Release();
            if (attempt >= 4)
                throw new MediaTaggerException(ErrorIds.SearchStoreBusy,
                    $"The store '{at.Folder}' kept changing while it was read (Add-MediaEmbedding is writing to it). Search again when it has finished.",
                    ErrorKind.ResourceUnavailable, at.Folder);
            Thread.Sleep(200);
        }
    }

    static ResidentStore LoadOnce(StoreSnapshot snapshot, CancellationToken cancellationToken)
    {
        var at = snapshot.Location;
        var meta = snapshot.Meta;
        var (entries, groupStarts) = Arrange(at, snapshot.EntriesByRow());
        var keys = entries.Select(e => e.Key).ToArray();
        var bytes = (long)keys.Length * meta.Dim * sizeof(float);
        var large = keys.Length >= CompactMinRows;
        float* vectors = null;
        MemoryMappedViewAccessor? view = null;
        CompactRows? compact = null;
        try
        {
            if (bytes > 0)
            {
                if (large && !OperatingSystem.IsWindows() && IsIdentity(entries, snapshot.Rows))
                    view = Map(snapshot.DataPath, bytes, out vectors);
                else
                {
                    vectors = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
                    ReadRows(snapshot.DataPath, meta.Dim, snapshot.Rows, entries, vectors, cancellationToken);
                }
                if (large) compact = CompactRows.Allocate(keys.Length, meta.Dim);
                Check(at, meta.Dim, entries, vectors, compact, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            compact?.Dispose();
            if (view is not null) Unmap(view);
            else NativeMemory.AlignedFree(vectors);
            if (ex is IOException or UnauthorizedAccessException)
                throw new MediaTaggerException(ErrorIds.StoreUnreadable, $"The store '{at.Folder}' cannot be read: {ex.Message}", ErrorKind.ReadError, at.Folder, ex);
            throw;
        }
        return new ResidentStore(at.Folder, meta, snapshot.Stamp, keys, groupStarts, vectors, view, compact);
    }

    static bool IsIdentity(StoreEntry[] entries, int fileRows)
    {
        if (entries.Length != fileRows) return false;
        for (var i = 0; i < entries.Length; i++)
            if (entries[i].Row != i) return false;
        return true;
    }

    /// <summary>
    /// Maps the first <paramref name="bytes"/> of the data file read-only. The writer only appends (cutting only rows
    /// beyond the committed count) and a rebuild or compaction replaces the file, so mapped rows never change under a query.
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

    static void Unmap(MemoryMappedViewAccessor view)
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
    }

    /// <summary>
    /// The per-row check of every resident row, on all cores: the first problem (and how many rows have one) is the error.
    /// Each part's rows go into <paramref name="compact"/> right after their check, while they are still in the cache:
    /// a store larger than the page cache (10M × 512 is 20 GB) is then read from disk once, not twice.
    /// </summary>
    static void Check(StoreLocation at, int dim, StoreEntry[] entries, float* vectors, CompactRows? compact, CancellationToken cancellationToken)
    {
        const int RowsPerPart = 8192;
        var parts = (entries.Length + RowsPerPart - 1) / RowsPerPart;
        var problems = 0;
        string? first = null;
        var firstRow = int.MaxValue;
        Workers.For(parts, Environment.ProcessorCount, cancellationToken, p =>
        {
            var end = Math.Min(entries.Length, (p + 1) * RowsPerPart);
            for (var i = p * RowsPerPart; i < end; i++)
            {
                if (RowCheck.Problem(entries[i], new ReadOnlySpan<float>(vectors + (long)i * dim, dim)) is not { } problem) continue;
                Interlocked.Increment(ref problems);
                lock (entries)
                    if (entries[i].Row < firstRow) (first, firstRow) = (problem, entries[i].Row);
            }
            compact?.Fill(vectors, p * RowsPerPart, end);
        });
        if (problems > 0)
            throw StoreErrors.Damaged(at, problems == 1 ? first! : $"{problems} rows fail the per-row check, the first: {first}");
    }

    /// <summary>
    /// Orders the live rows: by file row, except that the frames of one asset are pulled together (frame order) so a
    /// group is a contiguous range. Returns the entries in resident order, and the group starts when any asset has several frames.
    /// </summary>
    static (StoreEntry[] Entries, int[]? GroupStarts) Arrange(StoreLocation at, List<StoreEntry> byRow)
    {
        if (!byRow.Any(e => e.Key.Contains('#'))) return (byRow.ToArray(), null);
        var parsed = new (StoreEntry Entry, int Frame, int FirstPos)[byRow.Count];
        var firstPos = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < byRow.Count; i++)
        {
            var (asset, frame) = EmbeddingStore.ParseKey(byRow[i].Key);
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(firstPos, asset, out var exists);
            if (!exists) first = i;
            parsed[i] = (byRow[i], frame, first);
        }
        Array.Sort(parsed, (a, b) => a.FirstPos != b.FirstPos ? a.FirstPos.CompareTo(b.FirstPos) : a.Frame.CompareTo(b.Frame));
        var starts = new List<int>(firstPos.Count + 1);
        for (var i = 0; i < parsed.Length; i++)
            if (i == 0 || parsed[i].FirstPos != parsed[i - 1].FirstPos) starts.Add(i);
        starts.Add(parsed.Length);
        return (parsed.Select(p => p.Entry).ToArray(), starts.ToArray());
    }

    static void ReadRows(string dataFile, int dim, int fileRows, StoreEntry[] entries, float* destination, CancellationToken cancellationToken)
    {
        var rowBytes = dim * sizeof(float);
        using var handle = File.OpenHandle(dataFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        if (IsIdentity(entries, fileRows))
        {
            // Dense and in order: straight into place, no staging copy, one chunk per core at a time (copying out of
            // the page cache and faulting in fresh pages is faster on several cores than on one).
            var total = (long)entries.Length * rowBytes;
            var chunks = (int)((total + ReadChunkBytes - 1) / ReadChunkBytes);
            Workers.For(chunks, Environment.ProcessorCount, cancellationToken, c =>
            {
                var offset = (long)c * ReadChunkBytes;
                ReadExactly(handle, (byte*)destination + offset, Math.Min(ReadChunkBytes, total - offset), offset, cancellationToken);
            });
            return;
        }
        var destinationOf = new int[fileRows];
        Array.Fill(destinationOf, -1);
        for (var i = 0; i < entries.Length; i++) destinationOf[entries[i].Row] = i;
        var rowsPerChunk = Math.Max(1, ReadChunkBytes / rowBytes);
        var buffer = (byte*)NativeMemory.Alloc((nuint)((long)rowsPerChunk * rowBytes));
        try
        {
            for (var first = 0; first < fileRows; first += rowsPerChunk)
            {
                var rows = Math.Min(rowsPerChunk, fileRows - first);
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
            if (n <= 0) throw new EndOfStreamException("The store's data file ended early.");
            done += n;
        }
    }
}

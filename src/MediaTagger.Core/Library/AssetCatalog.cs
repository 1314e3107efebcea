using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Library;

/// <summary>
/// The library's inventory (<c>data/assets.json</c>): every asset keyed by its relative path.
/// A loaded catalog is a snapshot that never changes (its assets are immutable records), so it is cached per file
/// and shared while the file's size and time are unchanged; <see cref="Update"/> edits a copy and saves it.
/// </summary>
public sealed class AssetCatalog
{
    static readonly FileStampCache<AssetCatalog> Cache = new();

    readonly Dictionary<string, MediaAsset> _byRelativePath;
    readonly Lazy<Dictionary<string, MediaAsset>> _byId;

    AssetCatalog(MediaLibrary library, Dictionary<string, MediaAsset> byRelativePath, bool exists)
    {
        Library = library;
        _byRelativePath = byRelativePath;
        _byId = new(() => _byRelativePath.Values.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase), LazyThreadSafetyMode.ExecutionAndPublication);
        Exists = exists;
    }

    public MediaLibrary Library { get; }

    /// <summary>False when the library has never been scanned.</summary>
    public bool Exists { get; }

    public int Count => _byRelativePath.Count;

    public IEnumerable<MediaAsset> Assets => _byRelativePath.Values;

    public bool TryGetByRelativePath(string relativePath, out MediaAsset asset) => _byRelativePath.TryGetValue(relativePath, out asset!);

    public MediaAsset? FindById(string id) => _byId.Value.GetValueOrDefault(id);

    /// <summary>Loads the catalog (an empty one when the library was never scanned).</summary>
    /// <exception cref="MediaTaggerException">The file exists but cannot be read or parsed.</exception>
    public static AssetCatalog Load(MediaLibrary library)
    {
        var file = library.AssetsFile;
        FileInfo info = new(file);
        if (!info.Exists)
        {
            Cache.Forget(file);
            return new AssetCatalog(library, new(MediaLibrary.PathComparer), exists: false);
        }
        if (Cache.Get(info, c => c.Library.Equals(library)) is { } hit) return hit;

        List<MediaAsset>? list;
        try
        {
            using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            list = JsonSerializer.Deserialize(fs, CatalogJson.Default.ListMediaAsset);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new MediaTaggerException(ErrorIds.CatalogUnreadable,
                $"The catalog '{file}' cannot be read ({ex.Message}). Move it aside and run Get-MediaAsset again to rebuild it.",
                ErrorKind.ReadError, file, ex);
        }
        var map = new Dictionary<string, MediaAsset>(list?.Count ?? 0, MediaLibrary.PathComparer);
        foreach (var a in list ?? [])
        {
            if (string.IsNullOrEmpty(a?.RelativePath)) continue;
            map[a.RelativePath] = a.AttachTo(library);
        }
        var catalog = new AssetCatalog(library, map, exists: true);
        Cache.Set(file, catalog);
        return catalog;
    }

    /// <summary>
    /// Reads the newest catalog under the store lock, lets <paramref name="change"/> edit a copy of it and, when it
    /// reports a change (or the catalog did not exist), writes it atomically. Concurrent writers are serialised.
    /// Returns the catalog as saved (or as it was when nothing changed).
    /// </summary>
    public static AssetCatalog Update(MediaLibrary library, Func<CatalogEdit, bool> change, CancellationToken cancellationToken = default)
    {
        using var held = StoreLock.Acquire(library.AssetsFile, cancellationToken: cancellationToken);
        var current = Load(library);
        var edit = new CatalogEdit(new Dictionary<string, MediaAsset>(current._byRelativePath, MediaLibrary.PathComparer));
        if (!change(edit) && current.Exists) return current;
        var saved = new AssetCatalog(library, edit.Map, exists: true);
        saved.Save();
        return saved;
    }

    void Save()
    {
        CatalogWriter.Write(Library.AssetsFile, _byRelativePath.Values);
        // A writer killed mid-write (Ctrl+C twice, a crash) left its temp file here; the next write clears it.
        AtomicFile.SweepDebris(Library.DataPath);
        Cache.Set(Library.AssetsFile, this);
    }
}

/// <summary>A private copy of a catalog being changed inside <see cref="AssetCatalog.Update"/>.</summary>
public sealed class CatalogEdit
{
    internal CatalogEdit(Dictionary<string, MediaAsset> map) => Map = map;

    internal Dictionary<string, MediaAsset> Map { get; }

    public bool TryGetByRelativePath(string relativePath, out MediaAsset asset) => Map.TryGetValue(relativePath, out asset!);

    /// <summary>Records <paramref name="asset"/>'s catalog facts (whatever derived record it arrives as).</summary>
    public void Set(MediaAsset asset) => Map[asset.RelativePath] = asset.ToAsset();

    public bool Remove(string relativePath) => Map.Remove(relativePath);

    /// <summary>Room for <paramref name="count"/> assets, so a first scan's inserts do not rehash the map again and again.</summary>
    public void EnsureCapacity(int count) => Map.EnsureCapacity(count);
}

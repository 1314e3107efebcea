using System.Collections.Concurrent;
using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Library;

/// <summary>
/// The library's inventory (<c>data/assets.json</c>): every asset keyed by its relative path.
/// Loaded catalogs are cached per file and reused while the file's size and time are unchanged,
/// so consecutive commands in one session do not re-parse tens of megabytes of JSON.
/// </summary>
public sealed class AssetCatalog
{
    static readonly ConcurrentDictionary<string, (long Length, DateTime Time, AssetCatalog Catalog)> Cache = new(MediaLibrary.PathComparer);

    readonly Dictionary<string, MediaAsset> _byRelativePath;
    Dictionary<string, MediaAsset>? _byId;

    AssetCatalog(MediaLibrary library, Dictionary<string, MediaAsset> byRelativePath, bool exists)
    {
        Library = library;
        _byRelativePath = byRelativePath;
        Exists = exists;
    }

    public MediaLibrary Library { get; }

    /// <summary>False when the library has never been scanned.</summary>
    public bool Exists { get; }

    public int Count => _byRelativePath.Count;

    public IEnumerable<MediaAsset> Assets => _byRelativePath.Values;

    public bool TryGetByRelativePath(string relativePath, out MediaAsset asset) => _byRelativePath.TryGetValue(relativePath, out asset!);

    public MediaAsset? FindById(string id)
    {
        var byId = _byId ??= _byRelativePath.Values.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
        return byId.GetValueOrDefault(id);
    }

    /// <summary>Loads the catalog (an empty one when the library was never scanned).</summary>
    /// <exception cref="MediaTaggerException">The file exists but cannot be read or parsed.</exception>
    public static AssetCatalog Load(MediaLibrary library)
    {
        var file = library.AssetsFile;
        FileInfo info = new(file);
        if (!info.Exists)
        {
            Cache.TryRemove(file, out _);
            return new AssetCatalog(library, new(MediaLibrary.PathComparer), exists: false);
        }
        if (Cache.TryGetValue(file, out var hit) && hit.Length == info.Length && hit.Time == info.LastWriteTimeUtc && hit.Catalog.Library.Equals(library))
            return hit.Catalog;

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
            if (string.IsNullOrEmpty(a.RelativePath)) continue;
            a.AttachTo(library);
            if (string.IsNullOrEmpty(a.Id)) a.Id = AssetId.For(a.RelativePath);
            map[a.RelativePath] = a;
        }
        var catalog = new AssetCatalog(library, map, exists: true);
        Cache[file] = (info.Length, info.LastWriteTimeUtc, catalog);
        return catalog;
    }

    /// <summary>
    /// Reads the newest catalog under the store lock, lets <paramref name="change"/> edit it and, when it
    /// reports a change, writes it back atomically. Concurrent writers (another session, another stage) are serialised.
    /// </summary>
    public static AssetCatalog Update(MediaLibrary library, Func<AssetCatalog, bool> change, CancellationToken cancellationToken = default)
    {
        using var held = StoreLock.Acquire(library.AssetsFile, cancellationToken: cancellationToken);
        var catalog = Load(library);
        try
        {
            if (change(catalog) || !catalog.Exists) catalog.Save();
        }
        catch
        {
            // The cached instance may have been edited half-way: forget it so the next load reads the file.
            Cache.TryRemove(library.AssetsFile, out _);
            throw;
        }
        return catalog;
    }

    public void Set(MediaAsset asset)
    {
        _byRelativePath[asset.RelativePath] = asset;
        _byId = null;
    }

    public bool Remove(string relativePath)
    {
        _byId = null;
        return _byRelativePath.Remove(relativePath);
    }

    void Save()
    {
        var file = Library.AssetsFile;
        var ordered = _byRelativePath.Values.ToList();
        // Sorted, so the file diffs cleanly between runs.
        ordered.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        AtomicFile.Write(file, s => JsonSerializer.Serialize(s, ordered, CatalogJson.Default.ListMediaAsset));
        var info = new FileInfo(file);
        Cache[file] = (info.Length, info.LastWriteTimeUtc, new AssetCatalog(Library, _byRelativePath, exists: true));
    }
}

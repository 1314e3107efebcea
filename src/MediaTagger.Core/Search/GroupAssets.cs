using MediaTagger.Core.Library;

namespace MediaTagger.Core.Search;

/// <summary>
/// The catalog's asset of each group of a resident store, looked up on first use and remembered while the store and
/// the catalog (an immutable snapshot) stay the same. A warm query asks for the same few hundred candidates again;
/// each catalog lookup hashes a 40-character id and misses the cache several times.
/// </summary>
sealed class GroupAssets
{
    static readonly object NotCatalogued = new();
    readonly ResidentStore _store;
    readonly object?[] _assets;

    internal GroupAssets(ResidentStore store, AssetCatalog catalog)
    {
        _store = store;
        Catalog = catalog;
        _assets = new object?[store.GroupCount];
    }

    public AssetCatalog Catalog { get; }

    /// <summary>The asset of <paramref name="group"/>, or null when the catalog no longer has it. Safe from any thread: a race looks it up twice.</summary>
    public MediaAsset? Of(int group)
    {
        var known = _assets[group];
        if (known is null) _assets[group] = known = (object?)Catalog.FindById(_store.AssetIdOf(group)) ?? NotCatalogued;
        return known as MediaAsset;
    }
}

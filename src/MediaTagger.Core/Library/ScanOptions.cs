namespace MediaTagger.Core.Library;

public sealed class ScanOptions
{
    /// <summary>Exclude patterns (see <see cref="Glob"/>).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Only emit assets of this type (the catalog still records every type).</summary>
    public MediaType? Type { get; init; }

    /// <summary>
    /// Write the catalog on another thread while the caller reads <see cref="ScanResult.Assets"/>; the caller must call
    /// <see cref="ScanResult.WaitForCatalog"/> before anything else may read the catalog. A first scan of a large library
    /// then hands out its records while the catalog is being written, instead of after.
    /// </summary>
    public bool WriteCatalogInBackground { get; init; }

    /// <summary>Also walk hidden files and folders and NAS/OS junk folders (the store folder is always skipped).</summary>
    public bool IncludeHidden { get; init; }
}

public sealed record ScanProgress(int Folders, int Files, string CurrentFolder);

public sealed class ScanResult
{
    internal ScanResult(ScannedAssets assets) => Assets = assets;

    /// <summary>Assets found under the scanned paths, each with its <see cref="ScannedAsset.ScanState"/>.</summary>
    public IReadOnlyList<ScannedAsset> Assets { get; }

    /// <summary>Catalog entries under the scanned folders that are no longer on disk (now dropped from the catalog).</summary>
    public List<ScannedAsset> Removed { get; } = [];

    /// <summary>The new and changed assets alone (without making a record for every unchanged one).</summary>
    public IEnumerable<ScannedAsset> NewOrChanged => ((ScannedAssets)Assets).Where(s => s != ScanState.Unchanged);

    public int NewCount => ((ScannedAssets)Assets).CountOf(ScanState.New);
    public int ChangedCount => ((ScannedAssets)Assets).CountOf(ScanState.Changed);
    public bool CatalogWritten { get; internal set; }

    internal Task? CatalogWrite { get; set; }

    /// <summary>
    /// Waits for a catalog write started with <see cref="ScanOptions.WriteCatalogInBackground"/> and throws what it threw
    /// (<see cref="OperationCanceledException"/> when it was stopped before it began: the catalog is then as it was).
    /// </summary>
    public void WaitForCatalog() => CatalogWrite?.GetAwaiter().GetResult();

    /// <summary>True when this scan wrote the library's first catalog (a new library).</summary>
    public bool CatalogCreated { get; internal set; }
}

/// <summary>
/// A scan's assets, each made into a <see cref="ScannedAsset"/> when it is read. A re-scan of a large library finds
/// mostly unchanged files; made up front, their records would all live until the scan ends and the collector would copy
/// them from generation to generation, while a pipeline that drops them (or passes them on one by one) frees each at once.
/// </summary>
sealed class ScannedAssets(List<LibraryScanner.Found> found) : IReadOnlyList<ScannedAsset>
{
    public int Count => found.Count;

    public ScannedAsset this[int index] => new(found[index].Asset, found[index].State);

    public IEnumerable<ScannedAsset> Where(Func<ScanState, bool> state)
    {
        for (var i = 0; i < found.Count; i++)
            if (state(found[i].State)) yield return this[i];
    }

    public int CountOf(ScanState state)
    {
        var n = 0;
        foreach (var f in found) if (f.State == state) n++;
        return n;
    }

    public IEnumerator<ScannedAsset> GetEnumerator()
    {
        for (var i = 0; i < found.Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

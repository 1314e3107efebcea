namespace MediaTagger.Core.Library;

public sealed class ScanOptions
{
    /// <summary>Exclude patterns (see <see cref="Glob"/>).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Only emit assets of this type (the catalog still records every type).</summary>
    public MediaType? Type { get; init; }

    /// <summary>Also walk hidden files and folders and NAS/OS junk folders (the store folder is always skipped).</summary>
    public bool IncludeHidden { get; init; }
}

public sealed record ScanProgress(int Folders, int Files, string CurrentFolder);

public sealed class ScanResult
{
    /// <summary>Assets found under the scanned paths, each with its <see cref="ScannedAsset.ScanState"/>.</summary>
    public List<ScannedAsset> Assets { get; } = [];

    /// <summary>Catalog entries under the scanned folders that are no longer on disk (now dropped from the catalog).</summary>
    public List<ScannedAsset> Removed { get; } = [];

    public int NewCount => Assets.Count(a => a.ScanState == ScanState.New);
    public int ChangedCount => Assets.Count(a => a.ScanState == ScanState.Changed);
    public bool CatalogWritten { get; internal set; }

    /// <summary>True when this scan wrote the library's first catalog (a new library).</summary>
    public bool CatalogCreated { get; internal set; }
}

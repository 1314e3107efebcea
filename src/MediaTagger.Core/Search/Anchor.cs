using MediaTagger.Core.Library;

namespace MediaTagger.Core.Search;

/// <summary>
/// An example image of a query: an asset of the library (by id, object or path), or any image file outside it.
/// <see cref="Label"/> is what results report as <c>BestAnchor</c>.
/// </summary>
public sealed record Anchor(string Label, string? AssetId, string? FilePath)
{
    /// <summary>An anchor for a catalogued asset (a piped MediaAsset or MediaMatch).</summary>
    public static Anchor ForAsset(MediaAsset asset) => new(asset.Path, asset.Id, asset.Path);

    /// <summary>
    /// An anchor for what the user typed: an existing file (matched to its asset when it lies in the library),
    /// else an asset id, else a path that will be reported as not found.
    /// </summary>
    public static Anchor Parse(string text, string fullPath, AssetCatalog catalog)
    {
        if (File.Exists(fullPath))
        {
            var library = catalog.Library;
            if (library.Contains(fullPath) && catalog.TryGetByRelativePath(library.RelativePathOf(fullPath), out var asset))
                return new Anchor(fullPath, asset.Id, fullPath);
            return new Anchor(fullPath, null, fullPath);
        }
        if (Library.AssetId.IsAssetId(text.ToLowerInvariant())) return new Anchor(text, text.ToLowerInvariant(), null);
        return new Anchor(fullPath, null, fullPath);
    }
}

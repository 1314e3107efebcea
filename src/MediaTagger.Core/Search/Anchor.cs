using MediaTagger.Core.Library;

namespace MediaTagger.Core.Search;

/// <summary>
/// An example image of a query: an asset of the library (by id, object or path), or any image file outside it.
/// <see cref="Label"/> is what results report as <c>BestAnchor</c>.
/// </summary>
public sealed record Anchor(string Label, string? AssetId, string? FilePath)
{
    /// <summary>The one video frame (1-based) of the asset this anchor stands for; null: every frame (or a photo).</summary>
    public int? Frame { get; init; }

    /// <summary>
    /// An anchor for a catalogued asset (a piped MediaAsset or MediaMatch). A video match stands for the frame that
    /// matched (its BestFrame), not its other frames (a meadow frame of a dog video is no example of the dog), unless
    /// <paramref name="wholeVideo"/> asks for every frame.
    /// </summary>
    public static Anchor ForAsset(MediaAsset asset, bool wholeVideo = false) =>
        !wholeVideo && asset is MediaMatch { Type: MediaType.Video, BestFrame: { } frame }
            ? new Anchor($"{asset.Path} (frame {frame})", asset.Id, asset.Path) { Frame = frame }
            : new Anchor(asset.Path, asset.Id, asset.Path);

    /// <summary>
    /// An anchor for what the user typed: an existing file (with the id it has when it lies in the library, whether
    /// or not it was catalogued), else an asset id, else a path that will be reported as not found.
    /// </summary>
    public static Anchor Parse(string text, string fullPath, MediaLibrary library)
    {
        if (File.Exists(fullPath))
            return new Anchor(fullPath, library.Contains(fullPath) ? Library.AssetId.For(library.RelativePathOf(fullPath)) : null, fullPath);
        if (Library.AssetId.IsAssetId(text.ToLowerInvariant())) return new Anchor(text, text.ToLowerInvariant(), null);
        return new Anchor(fullPath, null, fullPath);
    }
}

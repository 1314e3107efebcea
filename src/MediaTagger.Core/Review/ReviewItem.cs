using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>One candidate under review. The page and the server know it only by <see cref="Index"/>, never by a path.</summary>
public sealed class ReviewItem
{
    public ReviewItem(int index, MediaAsset asset)
    {
        Index = index;
        Asset = asset;
        Score = asset is MediaMatch m ? m.Score : null;
        Face = asset is Faces.FaceMatch f ? [f.FaceX, f.FaceY, f.FaceWidth, f.FaceHeight] : null;
        RepFiles = RepsInsideStore(asset);
    }

    /// <summary>Position in the input; the opaque handle the page uses for thumbnails and decisions.</summary>
    public int Index { get; }

    /// <summary>The object that came in; emitted unchanged (but for Approved) when approved.</summary>
    public MediaAsset Asset { get; }

    /// <summary>Similarity of a search match; null for plain assets.</summary>
    public double? Score { get; }

    /// <summary>A face match's face (x, y, width, height as fractions of the picture): the page shows that face.</summary>
    public double[]? Face { get; }

    /// <summary>Rep JPEGs (video: one per frame), the only files the server can send.</summary>
    public IReadOnlyList<string> RepFiles { get; }

    /// <summary>
    /// The asset's rep files, provided they lie in its store's reps folder: an object built by hand (no store, or an
    /// id such as "../x") must not make the server send some other file.
    /// </summary>
    static IReadOnlyList<string> RepsInsideStore(MediaAsset asset)
    {
        if (string.IsNullOrEmpty(asset.StorePath) || !Path.IsPathFullyQualified(asset.StorePath)) return [];
        var folder = Path.GetFullPath(MediaLibrary.RepsFolder(asset.StorePath)) + Path.DirectorySeparatorChar;
        var files = RepIndex.FramePathsOf(asset).Select(Path.GetFullPath).ToList();
        return files.All(f => f.StartsWith(folder, MediaLibrary.PathComparison) && f.IndexOf(Path.DirectorySeparatorChar, folder.Length) < 0) ? files : [];
    }

    public static List<ReviewItem> From(IEnumerable<MediaAsset> assets) => assets.Select((a, i) => new ReviewItem(i, a)).ToList();
}

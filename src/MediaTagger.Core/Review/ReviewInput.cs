using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>What a review works on: piped objects, or the last query of a library, and the question behind them.</summary>
public static class ReviewInput
{
    /// <summary>
    /// The results of <c>data/last_query.json</c> as matches carrying their catalog state (reps included), in rank order.
    /// A result whose asset left the catalog is still reviewed by name (without a thumbnail).
    /// </summary>
    /// <exception cref="MediaTaggerException">There is no last query, or it cannot be read.</exception>
    public static (QueryRecord Query, List<MediaMatch> Matches) LoadLastQuery(MediaLibrary library)
    {
        var file = library.LastQueryFile;
        if (!File.Exists(file))
            throw new MediaTaggerException(ErrorIds.ReviewQueryMissing,
                $"Nothing to review: no objects were piped in and the library '{library.Root}' has no last query ({file}). Run Find-SimilarMedia or Find-MediaByText first, or pipe assets in.",
                ErrorKind.ObjectNotFound, file);
        QueryRecord? query;
        try
        {
            query = Json.Read<QueryRecord>(file);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.ReviewQueryUnreadable, $"The last query '{file}' cannot be read ({ex.Message}). Run the search again.", ErrorKind.ReadError, file, ex);
        }
        if (query is null)
            throw new MediaTaggerException(ErrorIds.ReviewQueryUnreadable, $"The last query '{file}' is empty. Run the search again.", ErrorKind.InvalidData, file);

        var catalog = AssetCatalog.Load(library);
        var matches = new List<MediaMatch>(query.Results.Count);
        foreach (var r in query.Results.OrderBy(r => r.Rank))
        {
            var asset = catalog.FindById(r.Id) ?? FromResult(library, r);
            matches.Add(new MediaMatch(asset)
            {
                Score = r.Score,
                Rank = r.Rank,
                BestAnchor = r.BestAnchor,
                BestPrompt = r.BestPrompt,
                BestFrame = r.BestFrame,
                NegativeScore = r.NegativeScore,
                Margin = r.Margin,
                Model = query.Model,
            });
        }
        return (query, matches);
    }

    static MediaAsset FromResult(MediaLibrary library, QueryResultItem r) => new MediaAsset
    {
        Id = r.Id,
        RelativePath = r.RelativePath,
        Type = Enum.TryParse<MediaType>(r.Type, ignoreCase: true, out var t) ? t : MediaType.Image,
        Extension = MediaExtensions.ExtensionOf(r.RelativePath),
    }.AttachTo(library);

    /// <summary>
    /// The question piped matches answer: the last query of their library when every match is among its results
    /// (a Find-* piped straight in, perhaps filtered by Where-Object). Null for plain assets or mixed sources.
    /// </summary>
    public static QueryRecord? QueryOf(IReadOnlyList<MediaAsset> assets)
    {
        if (assets.Count == 0 || assets.Any(a => a is not MediaMatch || string.IsNullOrEmpty(a.StorePath))) return null;
        var stores = assets.Select(a => a.StorePath).Distinct(MediaLibrary.PathComparer).ToList();
        if (stores.Count != 1) return null;
        var library = MediaLibrary.Open(assets[0].LibraryRoot, assets[0].StorePath);
        try
        {
            if (!File.Exists(library.LastQueryFile) || Json.Read<QueryRecord>(library.LastQueryFile) is not { } query) return null;
            var ids = query.Results.Select(r => r.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return assets.All(a => ids.Contains(a.Id)) ? query : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A headline for the page: what was searched for.</summary>
    public static string TitleFor(QueryRecord? query, int count)
    {
        if (query is null) return $"Review {count:N0} item{(count == 1 ? "" : "s")}";
        if (query.Kind == "text" && query.Text.Count > 0) return string.Join(" or ", query.Text.Select(t => $"\u201c{t}\u201d"));
        if (query.Anchors.Count > 0) return "Similar to " + string.Join(", ", query.Anchors.Select(a => Path.GetFileName(a) is { Length: > 0 } n ? n : a));
        return $"Review {count:N0} item{(count == 1 ? "" : "s")}";
    }
}

using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>
/// One review from start to finish: the candidates, the question behind them, and, once a person has decided,
/// the review files in each library's <c>data/reviews</c>.
/// </summary>
public sealed class ReviewSession
{
    /// <param name="preselect">The explicit threshold at or above which candidates start ticked; null: none does.</param>
    /// <param name="preselectSource">Where it came from ("-Preselect", "profile pets"), shown on the page.</param>
    public ReviewSession(IReadOnlyList<MediaAsset> assets, QueryRecord? query, string? label, double? preselect, string? preselectSource)
    {
        Items = ReviewItem.From(assets);
        Query = query;
        Options = new ReviewOptions
        {
            Title = ReviewInput.TitleFor(query, Items.Count),
            Label = label,
            Preselect = preselect,
            PreselectSource = preselect is null ? null : preselectSource,
        };
    }

    /// <summary>Whether <paramref name="item"/> starts ticked: only at or above an explicit preselect threshold.</summary>
    public bool IsPreselected(ReviewItem item) => Options.Preselect is { } p && item.Score is { } s && s >= p - 1e-9;

    public IReadOnlyList<ReviewItem> Items { get; }
    public QueryRecord? Query { get; }
    public ReviewOptions Options { get; }

    /// <summary>Items that have no rep to show (not rendered yet, or rendering failed): reviewed by name only.</summary>
    public int WithoutRepCount => Items.Count(i => i.RepFiles.Count == 0);

    /// <summary>Starts the page server; the caller waits on it (<see cref="ReviewServer.Wait"/>) and disposes it.</summary>
    public ReviewServer Serve(int port)
    {
        Options.Port = port;
        return ReviewServer.Start(Items, Options);
    }

    /// <summary>
    /// Records every decision of an applied review, one file per library the items belong to. Items not attached to
    /// a library (built by hand) cannot be recorded and are reported.
    /// </summary>
    public List<string> Save(ReviewResult result, string method, Action<ItemError> onError)
    {
        var written = new List<string>();
        if (result.End != ReviewEnd.Applied) return written;
        var query = Query is null ? null : WithoutResults(Query);
        foreach (var group in Items.GroupBy(i => (i.Asset.LibraryRoot, i.Asset.StorePath)))
        {
            if (string.IsNullOrEmpty(group.Key.LibraryRoot) || string.IsNullOrEmpty(group.Key.StorePath))
            {
                foreach (var i in group)
                    onError(new ItemError(ErrorIds.ReviewNotRecorded, $"The decision on '{i.Asset.Path}' is not recorded: the object does not belong to a library.", i.Asset.Path, ErrorKind.InvalidData));
                continue;
            }
            var library = MediaLibrary.Open(group.Key.LibraryRoot, group.Key.StorePath);
            var decisions = group.Select(i => new ReviewDecision
            {
                Id = i.Asset.Id,
                RelativePath = i.Asset.RelativePath,
                // A video match was judged by the frame that matched (the page shows it first).
                Frame = i.Asset.Type == MediaType.Video ? (i.Asset as MediaMatch)?.BestFrame : null,
                Score = i.Score,
                Rank = (i.Asset as MediaMatch)?.Rank,
                Approved = result.Approved[i.Index],
                FaceId = (i.Asset is ReviewedMatch r ? r.Match : i.Asset) is Faces.FaceMatch face ? face.FaceId : null,
                Preselected = IsPreselected(i),
            }).ToList();
            var record = new ReviewRecord
            {
                Library = library.Root,
                DecidedBy = Environment.UserName,
                Host = Environment.MachineName,
                Label = Options.Label,
                Query = query,
                QueryKey = query is null ? null : ReviewQueryKey.For(query),
                Threshold = result.Threshold,
                Preselect = Options.Preselect,
                Method = method,
                ApprovedCount = decisions.Count(d => d.Approved),
                RejectedCount = decisions.Count(d => !d.Approved),
                Decisions = decisions,
            };
            try
            {
                written.Add(ReviewHistory.Save(library, record));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                onError(new ItemError(ErrorIds.ReviewNotRecorded, $"The review decisions could not be saved in '{library.ReviewsPath}' ({ex.Message}).", library.ReviewsPath, ErrorKind.WriteError, ex));
            }
        }
        return written;
    }

    static QueryRecord WithoutResults(QueryRecord query)
    {
        var copy = JsonSerializer.Deserialize<QueryRecord>(JsonSerializer.SerializeToUtf8Bytes(query, Json.Compact), Json.Compact)!;
        copy.Results = [];
        return copy;
    }
}

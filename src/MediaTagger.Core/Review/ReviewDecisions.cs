using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Review;

/// <summary>
/// One decision of one review, flattened with the review's context: what subject learning, exclusion and approval read.
/// Keyed by asset id and frame, never by a vector or model (<see cref="Model"/> and <see cref="Score"/> only tell how
/// the candidate was found).
/// </summary>
public sealed record ReviewedItem
{
    public required string AssetId { get; init; }
    public required string RelativePath { get; init; }

    /// <summary>The video frame judged (1-based); null for photos and whole videos.</summary>
    public int? Frame { get; init; }

    public required bool Approved { get; init; }

    /// <summary>The face judged when the item was a face match; null otherwise.</summary>
    public string? FaceId { get; init; }

    /// <summary>What the items were reviewed as (Invoke-MediaReview -Label), e.g. "Teddy"; null when no label was given.</summary>
    public string? Label { get; init; }

    /// <summary>The question (<see cref="ReviewQueryKey"/>); null when the candidates came from no known query.</summary>
    public string? QueryKey { get; init; }

    /// <summary>Who decided (operating-system user); "unknown" for version 1 review files.</summary>
    public required string DecidedBy { get; init; }

    public required DateTime DecidedUtc { get; init; }

    public double? Score { get; init; }

    /// <summary>Where the slider stood when the person applied.</summary>
    public double? Threshold { get; init; }

    /// <summary>The explicit preselect threshold of that review (null: nothing started ticked).</summary>
    public double? Preselect { get; init; }

    /// <summary>Whether this item started ticked; null in version 1 files.</summary>
    public bool? Preselected { get; init; }

    /// <summary>The model the query ran with (informational).</summary>
    public string? Model { get; init; }

    /// <summary>The kind of query the candidates came from ("similar", "text", "subject-probability", "subject-similarity"), which says what <see cref="Score"/> measures.</summary>
    public string? QueryKind { get; init; }

    /// <summary>"page" or "gridView".</summary>
    public required string Method { get; init; }

    /// <summary>The review file the decision comes from.</summary>
    public required string ReviewFile { get; init; }
}

/// <summary>
/// The read API over a library's review decisions (<c>data/reviews/</c>, owned by <see cref="ReviewHistory"/>): every
/// decision with who, when, which question and which thresholds, oldest first; and the latest per asset and frame.
/// </summary>
public static class ReviewDecisions
{
    /// <summary>Every decision of every review of <paramref name="library"/>, oldest review first; unreadable files are reported and skipped.</summary>
    public static List<ReviewedItem> Read(MediaLibrary library, Action<ItemError>? onError = null)
    {
        var items = new List<ReviewedItem>();
        foreach (var (file, record) in ReviewHistory.LoadFiles(library, onError))
            foreach (var d in record.Decisions)
                items.Add(new ReviewedItem
                {
                    AssetId = d.Id,
                    RelativePath = d.RelativePath,
                    Frame = d.Frame,
                    Approved = d.Approved,
                    FaceId = d.FaceId,
                    Label = record.Label,
                    QueryKey = record.QueryKey,
                    DecidedBy = record.DecidedBy ?? "unknown",
                    DecidedUtc = DateTime.SpecifyKind(record.CreatedUtc, DateTimeKind.Utc),
                    Score = d.Score,
                    Threshold = record.Threshold,
                    Preselect = record.Preselect,
                    Preselected = d.Preselected,
                    Model = record.Query?.Model,
                    QueryKind = record.Query?.Kind,
                    Method = record.Method,
                    ReviewFile = file,
                });
        return items;
    }

    /// <summary>
    /// The latest decision per asset and frame among those for <paramref name="label"/> (case ignored; null: every
    /// label): a later review overrides an earlier one, so a person can change their mind.
    /// </summary>
    public static List<ReviewedItem> Latest(MediaLibrary library, string? label = null, Action<ItemError>? onError = null)
    {
        var latest = new Dictionary<(string, int?), ReviewedItem>();
        foreach (var d in Read(library, onError))
            if (label is null || string.Equals(d.Label, label, StringComparison.OrdinalIgnoreCase))
                latest[(d.AssetId.ToLowerInvariant(), d.Frame)] = d;
        return [.. latest.Values.OrderBy(d => d.DecidedUtc)];
    }
}

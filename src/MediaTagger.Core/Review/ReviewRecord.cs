using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>
/// One finished review (<c>data/reviews/&lt;timestamp&gt;.json</c>): who decided and when, what was asked, where the
/// thresholds stood, and the decision on every item (per asset, and per video frame where one frame was judged), so
/// later runs can skip what a person already rejected and learn subjects from what they approved. Decisions name
/// assets and frames, never vectors: they hold whatever model is used next. Read them through <see cref="ReviewDecisions"/>.
/// </summary>
public sealed class ReviewRecord
{
    /// <summary>2 adds who decided, the preselect threshold and per-frame decisions; version 1 files read with those empty.</summary>
    public const int CurrentVersion = 2;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>When the person applied their decisions (UTC).</summary>
    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
    public string Library { get; set; } = "";

    /// <summary>Who decided: the operating-system user name of the session that ran the review.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>The machine the review ran on.</summary>
    public string? Host { get; set; }

    /// <summary>What the items were reviewed as (Invoke-MediaReview -Label), e.g. "Teddy".</summary>
    public string? Label { get; set; }

    /// <summary>The query the candidates came from (without its results), when known.</summary>
    public QueryRecord? Query { get; set; }

    /// <summary><see cref="ReviewQueryKey.For"/> of <see cref="Query"/>: the same question asked again has the same key.</summary>
    public string? QueryKey { get; set; }

    /// <summary>Slider position when the person applied.</summary>
    public double? Threshold { get; set; }

    /// <summary>The explicit threshold at or above which candidates started ticked (-Preselect, profile review.preselect); null: none started ticked.</summary>
    public double? Preselect { get; set; }

    /// <summary>"page" (the browser review) or "gridView" (Out-GridView).</summary>
    public string Method { get; set; } = "page";

    public int ApprovedCount { get; set; }
    public int RejectedCount { get; set; }
    public List<ReviewDecision> Decisions { get; set; } = [];
}

/// <summary>A person's decision on one asset (or one frame of a video).</summary>
public sealed class ReviewDecision
{
    public string Id { get; set; } = "";
    public string RelativePath { get; set; } = "";

    /// <summary>The video frame (1-based) the person saw and judged, the one that matched; null for a photo or a whole video.</summary>
    public int? Frame { get; set; }

    public double? Score { get; set; }
    public int? Rank { get; set; }
    public bool Approved { get; set; }

    /// <summary>The face judged, for a face match (Find-MediaFace, a person subject's review); null otherwise.</summary>
    public string? FaceId { get; set; }

    /// <summary>Whether the item started ticked (it scored at or above the preselect threshold); null in version 1 files.</summary>
    public bool? Preselected { get; set; }
}

using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>
/// One finished review (<c>data/reviews/&lt;timestamp&gt;.json</c>): what was asked, where the threshold stood and the
/// decision on every item, so later runs can learn thresholds and skip what a person already rejected.
/// </summary>
public sealed class ReviewRecord
{
    public int Version { get; set; } = 1;
    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
    public string Library { get; set; } = "";

    /// <summary>What the items were reviewed as (Invoke-MediaReview -Label), e.g. "Teddy".</summary>
    public string? Label { get; set; }

    /// <summary>The query the candidates came from (without its results), when known.</summary>
    public QueryRecord? Query { get; set; }

    /// <summary><see cref="ReviewQueryKey.For"/> of <see cref="Query"/>: the same question asked again has the same key.</summary>
    public string? QueryKey { get; set; }

    /// <summary>Slider position when the person applied.</summary>
    public double? Threshold { get; set; }

    /// <summary>"page" (the browser review) or "gridView" (Out-GridView).</summary>
    public string Method { get; set; } = "page";

    public int ApprovedCount { get; set; }
    public int RejectedCount { get; set; }
    public List<ReviewDecision> Decisions { get; set; } = [];
}

/// <summary>A person's decision on one asset.</summary>
public sealed class ReviewDecision
{
    public string Id { get; set; } = "";
    public string RelativePath { get; set; } = "";
    public double? Score { get; set; }
    public int? Rank { get; set; }
    public bool Approved { get; set; }
}

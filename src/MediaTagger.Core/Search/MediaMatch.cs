using MediaTagger.Core.Library;

namespace MediaTagger.Core.Search;

/// <summary>
/// A search result: the asset's catalog facts (a copy) plus how well it matched, as flat columns, so results filter,
/// sort, export and pipe into review and tagging like assets do.
/// </summary>
public record MediaMatch : MediaAsset
{
    /// <summary>A match for <paramref name="asset"/> (its catalog facts only); set the scores with an initializer.</summary>
    public MediaMatch(MediaAsset asset) : base(asset.ToAsset()) { }

    /// <summary>Cosine similarity of the best anchor or prompt (max over anchors/prompts and over video frames).</summary>
    public double Score { get; internal init; }

    /// <summary>1 for the best match.</summary>
    public int Rank { get; internal init; }

    /// <summary>The anchor (path or asset id) that produced <see cref="Score"/>; null for text queries.</summary>
    public string? BestAnchor { get; internal init; }

    /// <summary>Which view of <see cref="BestAnchor"/> matched: the picture as it is, mirrored, or turned (see Find-SimilarMedia -AnchorViews); null for text queries.</summary>
    public AnchorView? BestAnchorView { get; internal init; }

    /// <summary>The prompt that produced <see cref="Score"/>; null for image queries.</summary>
    public string? BestPrompt { get; internal init; }

    /// <summary>The video frame (1-based) that scored best; null for still images.</summary>
    public int? BestFrame { get; internal init; }

    /// <summary>Similarity to the closest negative example, when negatives were given.</summary>
    public double? NegativeScore { get; internal init; }

    /// <summary>Score minus NegativeScore: how much closer the item is to what is wanted than to what is not.</summary>
    public double? Margin { get; internal init; }

    /// <summary>The embedding model the query ran with.</summary>
    public string? Model { get; internal init; }
}

using MediaTagger.Core.Library;

namespace MediaTagger.Core.Search;

/// <summary>
/// A search result: every property of the asset plus how well it matched, so results filter, sort, export
/// and pipe into review and tagging like assets do.
/// </summary>
public sealed class MediaMatch : MediaAsset
{
    /// <summary>Cosine similarity of the best anchor or prompt (max over anchors/prompts and over video frames).</summary>
    public double Score { get; set; }

    /// <summary>1 for the best match.</summary>
    public int Rank { get; set; }

    /// <summary>The anchor (path or asset id) that produced <see cref="Score"/>; null for text queries.</summary>
    public string? BestAnchor { get; set; }

    /// <summary>Which view of <see cref="BestAnchor"/> matched: the picture as it is, mirrored, or turned (see Find-SimilarMedia -AnchorViews); null for text queries.</summary>
    public AnchorView? BestAnchorView { get; set; }

    /// <summary>The prompt that produced <see cref="Score"/>; null for image queries.</summary>
    public string? BestPrompt { get; set; }

    /// <summary>The video frame (1-based) that scored best; null for still images.</summary>
    public int? BestFrame { get; set; }

    /// <summary>Similarity to the closest negative example, when negatives were given.</summary>
    public double? NegativeScore { get; set; }

    /// <summary>Score minus NegativeScore: how much closer the item is to what is wanted than to what is not.</summary>
    public double? Margin { get; set; }

    /// <summary>The embedding model the query ran with.</summary>
    public string? Model { get; set; }

    /// <summary>Makes a match that carries every field of <paramref name="asset"/>.</summary>
    public static MediaMatch From(MediaAsset asset)
    {
        var match = new MediaMatch();
        asset.CopyTo(match);
        return match;
    }
}

namespace MediaTagger.Core.Search;

/// <summary>One way of looking at an anchor image: as it is, mirrored left–right, or turned clockwise.</summary>
public enum AnchorView
{
    Original,
    Mirrored,
    Rotated90,
    Rotated180,
    Rotated270,
}

/// <summary>
/// Which views of each anchor a search embeds (Find-SimilarMedia -AnchorViews). An item's score is its best over the
/// views, so a mirrored selfie or a scan stored sideways is found like the anchor itself. Costs one embedding per
/// extra view and anchor, on the query side only: the library's vectors and the one pass over them do not change.
/// </summary>
public enum AnchorViews
{
    /// <summary>The anchor, its mirror image, and its 90°, 180° and 270° rotations (the default).</summary>
    All,

    /// <summary>The anchor and its mirror image.</summary>
    Mirror,

    /// <summary>The anchor only.</summary>
    None,
}

public static class AnchorViewSets
{
    public static IReadOnlyList<AnchorView> Of(AnchorViews views) => views switch
    {
        AnchorViews.None => [AnchorView.Original],
        AnchorViews.Mirror => [AnchorView.Original, AnchorView.Mirrored],
        _ => [AnchorView.Original, AnchorView.Mirrored, AnchorView.Rotated90, AnchorView.Rotated180, AnchorView.Rotated270],
    };
}

using MediaTagger.Core.Library;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>An object a person has decided on in a review: a copy of what came in, plus the decision.</summary>
public interface IReviewed
{
    /// <summary>True when the person approved it, false when they rejected it.</summary>
    bool Approved { get; }
}

/// <summary>A search match as Invoke-MediaReview emits it: the match (a copy) and the person's decision.</summary>
public sealed record ReviewedMatch : MediaMatch, IReviewed
{
    public ReviewedMatch(MediaMatch match, bool approved) : base(match)
    {
        Approved = approved;
        Match = match;
    }

    public bool Approved { get; }

    /// <summary>The match as it came in, with what its kind adds (a face match keeps its face for naming and regions).</summary>
    public MediaMatch Match { get; }
}

/// <summary>A plain asset as Invoke-MediaReview emits it: the asset (a copy) and the person's decision.</summary>
public sealed record ReviewedAsset : MediaAsset, IReviewed
{
    public ReviewedAsset(MediaAsset asset, bool approved) : base(asset.ToAsset()) => Approved = approved;

    public bool Approved { get; }

    /// <summary>The decision on <paramref name="input"/> as a new object; the input itself (perhaps a catalog's instance) is not touched.</summary>
    public static MediaAsset Of(MediaAsset input, bool approved) => input is MediaMatch m
        ? new ReviewedMatch(m, approved)
        : new ReviewedAsset(input, approved);
}

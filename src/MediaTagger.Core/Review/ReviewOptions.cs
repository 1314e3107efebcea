namespace MediaTagger.Core.Review;

/// <summary>How a review is served and what the page shows.</summary>
public sealed class ReviewOptions
{
    /// <summary>Headline of the page (what was searched for).</summary>
    public string Title { get; set; } = "Review";

    /// <summary>What the candidates are reviewed as (e.g. "Teddy"); shown on the page and saved with the decisions.</summary>
    public string? Label { get; set; }

    /// <summary>
    /// The explicit threshold at or above which candidates start ticked (-Preselect, a profile's review.preselect).
    /// Null: nothing starts ticked; every approval is a person's click (or their move of the slider).
    /// </summary>
    public double? Preselect { get; set; }

    /// <summary>Where <see cref="Preselect"/> came from, shown on the page ("-Preselect", "profile pets").</summary>
    public string? PreselectSource { get; set; }

    /// <summary>The round report of an active review (a subject's), shown in a panel on the page; null for other reviews.</summary>
    public ReviewRound? Round { get; set; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }
}

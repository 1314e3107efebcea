namespace MediaTagger.Core.Review;

/// <summary>How a review is served and what the page shows.</summary>
public sealed class ReviewOptions
{
    /// <summary>Headline of the page (what was searched for).</summary>
    public string Title { get; set; } = "Review";

    /// <summary>What the candidates are reviewed as (e.g. "Teddy"); shown on the page and saved with the decisions.</summary>
    public string? Label { get; set; }

    /// <summary>Initial slider position: items scoring at least this are pre-checked. Null: every item is pre-checked.</summary>
    public double? Threshold { get; set; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }
}

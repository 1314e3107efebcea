namespace MediaTagger.Core.Review;

/// <summary>
/// Where an active review stands, shown in a panel above the grid (Invoke-MediaReview -Subject): the round, how many
/// the last round approved, how many are approved in all, the estimated positives still unreviewed and whether the
/// subject is probably done. Numbers only; the subject stage computes them.
/// </summary>
public sealed record ReviewRound
{
    public required string Subject { get; init; }

    /// <summary>The round this page is (1 = the first review of the subject).</summary>
    public required int Number { get; init; }

    /// <summary>Items approved in all the subject's reviews so far (anchors not counted).</summary>
    public required int ApprovedSoFar { get; init; }
    public int? LastRoundApproved { get; init; }
    public int? LastRoundSize { get; init; }

    /// <summary>Expected positives among the undecided items; null while the subject has too few decisions to estimate.</summary>
    public double? EstimatedUnreviewed { get; init; }

    /// <summary>Decisions needed on each side before the subject learns (and estimates), shown while it has not.</summary>
    public int? LearnsAfter { get; init; }

    public required bool ProbablyDone { get; init; }

    /// <summary>One sentence on what to do next.</summary>
    public string? Advice { get; init; }
}

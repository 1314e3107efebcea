namespace MediaTagger.Core.Review;

/// <summary>How a review ended.</summary>
public enum ReviewEnd
{
    /// <summary>The person pressed Apply: <see cref="ReviewResult.Approved"/> holds their decisions.</summary>
    Applied,
    /// <summary>The person pressed Cancel: nothing is approved.</summary>
    Cancelled,
    /// <summary>Nobody answered within the timeout: nothing is approved.</summary>
    TimedOut,
    /// <summary>Ctrl+C in the console: nothing is approved.</summary>
    Stopped,
}

/// <summary>The outcome of a review: one decision per item (by index) when applied.</summary>
public sealed class ReviewResult
{
    public ReviewResult(ReviewEnd end, bool[] approved, double? threshold)
    {
        End = end;
        Approved = approved;
        Threshold = threshold;
    }

    public ReviewEnd End { get; }

    /// <summary>Approved[i] is the decision on item i; all false unless <see cref="End"/> is Applied.</summary>
    public bool[] Approved { get; }

    /// <summary>Where the slider stood when the person applied.</summary>
    public double? Threshold { get; }

    public int ApprovedCount => Approved.Count(a => a);

    public static ReviewResult Nothing(ReviewEnd end, int count) => new(end, new bool[count], null);
}

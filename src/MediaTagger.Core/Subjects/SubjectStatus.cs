namespace MediaTagger.Core.Subjects;

/// <summary>
/// Where teaching a subject stands (Measure-MediaSubject, and the report after each review round): its examples, how it
/// ranks, estimated precision and recall at a threshold from cross-validation on the decisions, what is probably left.
/// </summary>
public sealed class SubjectStatus
{
    public string Subject { get; init; } = "";
    public string Tag { get; init; } = "";
    public string Model { get; init; } = "";
    public SubjectMode Mode { get; init; }
    public int Anchors { get; init; }
    public int NegativeAnchors { get; init; }

    /// <summary>Items approved in reviews (anchors not counted).</summary>
    public int Approved { get; init; }
    public int Rejected { get; init; }

    /// <summary>Examples the model has no vector for (not embedded with it), left out of training.</summary>
    public int Unembedded { get; init; }

    /// <summary>Reviews recorded for the subject.</summary>
    public int Rounds { get; init; }
    public int? LastRoundApproved { get; init; }
    public int? LastRoundSize { get; init; }

    /// <summary>Expected positives among the items not reviewed yet (sum of their probabilities); null while the anchors' rule ranks.</summary>
    public double? EstimatedUnreviewed { get; init; }

    /// <summary>The probability <see cref="Precision"/> and <see cref="Recall"/> are estimated at.</summary>
    public double Threshold { get; init; }

    /// <summary>Of the decided items with probability ≥ Threshold (each scored by a model that did not see it), the share approved.</summary>
    public double? Precision { get; init; }

    /// <summary>Of the approved items, the share whose held-out probability is ≥ Threshold.</summary>
    public double? Recall { get; init; }

    public double TrainingMilliseconds { get; init; }

    /// <summary>The last round brought almost no new positives (at most one, or 5 %), or the classifier expects less than half a positive left.</summary>
    public bool ProbablyDone { get; init; }

    /// <summary>One sentence on what to do next.</summary>
    public string Advice { get; init; } = "";

    /// <summary>The report the review page shows for the next round.</summary>
    public Review.ReviewRound ForPage() => new()
    {
        Subject = Subject,
        Number = Rounds + 1,
        ApprovedSoFar = Approved,
        LastRoundApproved = LastRoundApproved,
        LastRoundSize = LastRoundSize,
        EstimatedUnreviewed = EstimatedUnreviewed,
        LearnsAfter = Mode == SubjectMode.Anchors ? SubjectClassifier.MinPerClass : null,
        ProbablyDone = ProbablyDone,
        // The page is the review already: only the advice to stop adds something there.
        Advice = ProbablyDone ? Advice : null,
    };

    public static SubjectStatus For(Subject subject, SubjectExamples examples, SubjectRanker ranker, string model, double threshold, double? remaining)
    {
        var last = examples.Rounds.Count == 0 ? null : examples.Rounds[^1];
        var lastApproved = last?.Approved;
        var lastSize = last?.Size;
        var drought = lastSize > 0 && lastApproved <= Math.Max(1, (int)Math.Floor(0.05 * lastSize.Value));
        var done = examples.Rounds.Count > 0 && (drought || remaining < 0.5);
        var estimate = ranker.Classifier?.Estimate(threshold);
        var advice = done
            ? "Probably done: the last round found almost nothing new. Tag the approved items with Set-MediaXmpTag -Subject."
            : ranker.Mode == SubjectMode.Anchors
                ? $"Review a round (Invoke-MediaReview -Subject '{subject.Name}'): it learns once there are {SubjectClassifier.MinPerClass} approved and {SubjectClassifier.MinPerClass} rejected items."
                : $"Review another round (Invoke-MediaReview -Subject '{subject.Name}'): about {remaining:0} positives are still unreviewed.";
        return new SubjectStatus
        {
            Subject = subject.Name,
            Tag = subject.Tag,
            Model = model,
            Mode = ranker.Mode,
            Anchors = subject.Anchors.Count,
            NegativeAnchors = subject.NegativeAnchors.Count,
            Approved = examples.ReviewedPositives,
            Rejected = examples.ReviewedNegatives,
            Unembedded = ranker.Vectors.Missing.Count,
            Rounds = examples.Rounds.Count,
            LastRoundApproved = lastApproved,
            LastRoundSize = lastSize,
            EstimatedUnreviewed = remaining,
            Threshold = threshold,
            Precision = estimate?.Precision,
            Recall = estimate?.Recall,
            TrainingMilliseconds = ranker.Classifier?.TrainingTime.TotalMilliseconds ?? 0,
            ProbablyDone = done,
            Advice = advice,
        };
    }
}

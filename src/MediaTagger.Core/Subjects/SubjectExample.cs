namespace MediaTagger.Core.Subjects;

/// <summary>Where an example came from.</summary>
public enum ExampleSource
{
    /// <summary>Named when the subject was created or later (New-MediaSubject -Anchor).</summary>
    Anchor,
    /// <summary>A person's decision in a review (Invoke-MediaReview -Subject, Add-MediaSubjectDecision).</summary>
    Review,
    /// <summary>A face the person named (Set-MediaFaceName): named as the subject, a positive; named as someone else, a negative.</summary>
    Face,
}

/// <summary>
/// One example of a subject, independent of any model: an asset of the library (a video by frame when the decision
/// named one) or a file outside it. Positive: it shows the subject; negative: it does not.
/// </summary>
public sealed record SubjectExample(
    string? AssetId, string? RelativePath, int? Frame, string? File, bool Positive, ExampleSource Source, DateTime DecidedUtc, double? Score = null)
{
    public string Label => FaceId is null ? RelativePath ?? File ?? AssetId ?? "" : $"{RelativePath}#{FaceId[(FaceId.LastIndexOf(':') + 1)..]}";

    /// <summary>For a person subject: the face this example is (asset + face index).</summary>
    public string? FaceId { get; init; }

    /// <summary>The model that ranked the item when it was decided (a review's); null for anchors.</summary>
    public string? Model { get; init; }

    /// <summary>What <see cref="Score"/> measured then: "probability" or "similarity"; null when not recorded.</summary>
    public string? ScoreKind { get; init; }

    public string? DecidedBy { get; init; }

    /// <summary>The review file the decision is in.</summary>
    public string? ReviewFile { get; init; }
}

using MediaTagger.Core.Search;

namespace MediaTagger.Core.Subjects;

/// <summary>
/// The question a subject's review answers, as the review record keeps it: its kind says what the scores measured
/// (the calibrated probability once the subject has learned, else the similarity to its examples), its model which
/// embeddings ranked them. Provenance reads both back from the decisions.
/// </summary>
public static class SubjectQuery
{
    public const string ProbabilityKind = "subject-probability";
    public const string SimilarityKind = "subject-similarity";

    public static QueryRecord For(string library, string subject, string model, SubjectMode mode, int size) => new()
    {
        Kind = mode == SubjectMode.Classifier ? ProbabilityKind : SimilarityKind,
        Library = library,
        Model = model,
        Anchors = [subject],
        K = size,
    };

    /// <summary>"probability", "similarity", or null for a review that was not a subject's round.</summary>
    public static string? ScoreKindOf(string? queryKind) => queryKind switch
    {
        ProbabilityKind => "probability",
        SimilarityKind => "similarity",
        _ => null,
    };
}

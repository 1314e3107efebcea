using MediaTagger.Core.Library;

namespace MediaTagger.Core.Subjects;

/// <summary>What Get-MediaSubject shows: a subject and a count of its examples (no model needed).</summary>
public sealed class SubjectInfo
{
    public string Name { get; init; } = "";
    public string Tag { get; init; } = "";

    /// <summary>Thing or Person (a person's examples are faces).</summary>
    public SubjectKind Kind { get; init; }
    public string? Profile { get; init; }
    public int Anchors { get; init; }
    public int NegativeAnchors { get; init; }

    /// <summary>Items approved in reviews of the subject (latest decision per item).</summary>
    public int Approved { get; init; }
    public int Rejected { get; init; }
    public int Rounds { get; init; }
    public DateTime? LastReviewUtc { get; init; }
    public DateTime CreatedUtc { get; init; }
    public bool Provenance { get; init; }
    public string Library { get; init; } = "";
    public string StorePath { get; init; } = "";

    /// <summary>The subject's JSON file.</summary>
    public string File { get; init; } = "";

    public static SubjectInfo For(MediaLibrary library, Subject subject, SubjectExamples examples) => new()
    {
        Name = subject.Name,
        Tag = subject.Tag,
        Kind = subject.Kind,
        Profile = subject.Profile,
        Anchors = subject.Anchors.Count,
        NegativeAnchors = subject.NegativeAnchors.Count,
        Approved = examples.ReviewedPositives,
        Rejected = examples.ReviewedNegatives,
        Rounds = examples.Rounds.Count,
        LastReviewUtc = examples.LastDecisionUtc,
        CreatedUtc = subject.CreatedUtc,
        Provenance = subject.Provenance ?? true,
        Library = library.Root,
        StorePath = library.StorePath,
        File = SubjectStore.PathFor(library, subject.Name),
    };

    public override string ToString() => Name;
}

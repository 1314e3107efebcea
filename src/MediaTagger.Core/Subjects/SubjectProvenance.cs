using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Subjects;

/// <summary>What a sidecar records about why a subject's tag is there (<see cref="XmpProvenance"/>), from the example that approved it.</summary>
public static class SubjectProvenance
{
    /// <summary>Whether tags written for <paramref name="subject"/> carry provenance: the subject's own choice, else the profile's (on by default).</summary>
    public static bool Enabled(Subject subject, bool profileProvenance) => subject.Provenance ?? profileProvenance;

    public static TagProvenance For(Subject subject, SubjectExample example) => new()
    {
        Tag = subject.Tag,
        Subject = subject.Name,
        Source = example.Source switch { ExampleSource.Anchor => "anchor", ExampleSource.Face => "face", _ => "review" },
        Model = example.Model,
        Score = example.Score,
        ScoreKind = example.Score is null ? null : example.ScoreKind,
        // A face name carries no time (the face store keeps the latest name only).
        Decided = example.DecidedUtc == default ? null : example.DecidedUtc,
        DecidedBy = example.DecidedBy,
        Review = example.ReviewFile is { } file ? Path.GetFileName(file) : null,
    };
}

using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;

namespace MediaTagger.Core.Subjects;

/// <summary>One review of a subject: when, and how many of how many it showed were approved.</summary>
public sealed record SubjectRound(DateTime DecidedUtc, int Approved, int Size, string ReviewFile);

/// <summary>
/// A subject's examples: its anchors plus the latest review decision on each asset among the reviews labelled with the
/// subject's name (case ignored), read through the review record's API, so decisions made in any session, by any
/// review, all count. A video is judged whole (the page shows all its frames): approved, it teaches the frame it was
/// judged by; rejected, every frame.
/// </summary>
public sealed class SubjectExamples
{
    SubjectExamples(List<SubjectExample> all, List<SubjectRound> rounds)
    {
        All = all;
        Rounds = rounds;
        // A person's examples are faces: another face in the same picture is still undecided.
        Decided = all.Where(e => (e.FaceId ?? e.AssetId) is not null).Select(e => e.FaceId ?? e.AssetId!).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<SubjectExample> All { get; }
    public IEnumerable<SubjectExample> Positives => All.Where(e => e.Positive);
    public IEnumerable<SubjectExample> Negatives => All.Where(e => !e.Positive);

    /// <summary>Asset ids (face ids for a person) with an example or a decision: a review never shows them again.</summary>
    public IReadOnlySet<string> Decided { get; }

    /// <summary>The reviews of the subject, oldest first: each is one round.</summary>
    public IReadOnlyList<SubjectRound> Rounds { get; }

    /// <summary>Library assets approved for the subject (anchors in the library included: a person chose them), latest decision winning.</summary>
    public IEnumerable<SubjectExample> ApprovedAssets => Positives.Where(e => e.AssetId is not null);

    public int ReviewedPositives => All.Count(e => e.Source == ExampleSource.Review && e.Positive);
    public int ReviewedNegatives => All.Count(e => e.Source == ExampleSource.Review && !e.Positive);
    public DateTime? LastDecisionUtc => Rounds.Count == 0 ? null : Rounds[^1].DecidedUtc;

    /// <summary>A person's approved faces (anchor faces, named faces and review approvals), latest decision winning.</summary>
    public IEnumerable<SubjectExample> ApprovedFaces => Positives.Where(e => e.FaceId is not null);

    /// <summary>
    /// A person's examples are faces: the largest face of each anchor photo, every face a review of the subject judged
    /// (latest decision per face), and every named face: named as the subject, a positive; named as someone else, a
    /// negative. A name is the person's explicit word on that face, so it wins over review decisions.
    /// </summary>
    public static SubjectExamples LoadPerson(MediaLibrary library, Subject subject, Faces.FaceLibrary faces, Action<ItemError>? onError = null)
    {
        var byFace = new Dictionary<string, SubjectExample>(StringComparer.Ordinal);
        var byAsset = faces.Faces.ToLookup(f => f.AssetId, StringComparer.OrdinalIgnoreCase);
        foreach (var (anchors, positive) in new[] { (subject.Anchors, true), (subject.NegativeAnchors, false) })
            foreach (var a in anchors)
                if (a.Id is { } id && byAsset[id].MaxBy(f => f.Width * f.Height) is { } face)
                    byFace[face.FaceId] = new SubjectExample(face.AssetId, face.RelativePath, face.Frame, null, positive, ExampleSource.Anchor, a.AddedUtc) { FaceId = face.FaceId };
        var decisions = Decisions(library, subject, onError).Where(d => d.FaceId is not null).ToList();
        foreach (var d in decisions)
        {
            if (byFace.TryGetValue(d.FaceId!, out var old) && old.DecidedUtc > d.DecidedUtc) continue;
            byFace[d.FaceId!] = FromDecision(d) with { Frame = d.Frame, FaceId = d.FaceId };
        }
        foreach (var face in faces.Faces.Where(f => f.Name is not null))
        {
            var positive = string.Equals(face.Name, subject.Name, StringComparison.OrdinalIgnoreCase);
            // A review that said the same keeps its facts (score, model, time) for provenance.
            if (byFace.TryGetValue(face.FaceId, out var old) && old.Positive == positive) continue;
            byFace[face.FaceId] = new SubjectExample(face.AssetId, face.RelativePath, face.Frame, null, positive, ExampleSource.Face, default) { FaceId = face.FaceId };
        }
        return new SubjectExamples(byFace.Values.ToList(), RoundsOf(decisions));
    }

    static List<ReviewedItem> Decisions(MediaLibrary library, Subject subject, Action<ItemError>? onError) =>
        ReviewDecisions.Read(library, onError)
            .Where(d => string.Equals(d.Label, subject.Name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(d.AssetId))
            .ToList();

    static SubjectExample FromDecision(ReviewedItem d) =>
        new(d.AssetId.ToLowerInvariant(), d.RelativePath, d.Approved ? d.Frame : null, null, d.Approved, ExampleSource.Review, d.DecidedUtc, d.Score)
        {
            Model = d.Model,
            ScoreKind = SubjectQuery.ScoreKindOf(d.QueryKind),
            DecidedBy = d.DecidedBy,
            ReviewFile = d.ReviewFile,
        };

    static List<SubjectRound> RoundsOf(List<ReviewedItem> decisions) => decisions.GroupBy(d => d.ReviewFile)
        .Select(g => new SubjectRound(g.First().DecidedUtc, g.Count(d => d.Approved), g.Count(), g.Key))
        .OrderBy(r => r.DecidedUtc).ThenBy(r => r.ReviewFile, StringComparer.Ordinal).ToList();

    /// <summary>The subject's examples: pictures for a thing, faces (of the library's face store) for a person.</summary>
    public static SubjectExamples Load(MediaLibrary library, Subject subject, Action<ItemError>? onError = null) =>
        subject.Kind == SubjectKind.Person ? LoadPerson(library, subject, Faces.FaceLibrary.Open(library), onError) : LoadPictures(library, subject, onError);

    static SubjectExamples LoadPictures(MediaLibrary library, Subject subject, Action<ItemError>? onError)
    {
        var byAsset = new Dictionary<string, SubjectExample>(StringComparer.OrdinalIgnoreCase);
        var files = new List<SubjectExample>();
        foreach (var (anchors, positive) in new[] { (subject.Anchors, true), (subject.NegativeAnchors, false) })
            foreach (var a in anchors)
            {
                var example = new SubjectExample(a.Id?.ToLowerInvariant(), a.RelativePath, a.Frame, a.File, positive, ExampleSource.Anchor, a.AddedUtc);
                if (example.AssetId is { } id) byAsset[id] = example;
                else if (a.File is not null) files.Add(example);
            }
        // Face decisions belong to person subjects: a picture is not judged by judging one of its faces.
        var decisions = Decisions(library, subject, onError).Where(d => d.FaceId is null).ToList();
        foreach (var d in decisions)
        {
            var id = d.AssetId.ToLowerInvariant();
            // The latest word on an asset wins, but an anchor is the person's own pick: only a newer decision overrides it.
            if (byAsset.TryGetValue(id, out var old) && old.DecidedUtc > d.DecidedUtc) continue;
            byAsset[id] = FromDecision(d);
        }
        return new SubjectExamples(files.Concat(byAsset.Values).ToList(), RoundsOf(decisions));
    }
}

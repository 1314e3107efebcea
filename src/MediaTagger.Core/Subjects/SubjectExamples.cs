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
        Decided = all.Where(e => e.AssetId is not null).Select(e => e.AssetId!).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<SubjectExample> All { get; }
    public IEnumerable<SubjectExample> Positives => All.Where(e => e.Positive);
    public IEnumerable<SubjectExample> Negatives => All.Where(e => !e.Positive);

    /// <summary>Asset ids with an example or a decision: a review never shows them again.</summary>
    public IReadOnlySet<string> Decided { get; }

    /// <summary>The reviews of the subject, oldest first: each is one round.</summary>
    public IReadOnlyList<SubjectRound> Rounds { get; }

    /// <summary>Library assets approved for the subject (anchors in the library included: a person chose them), latest decision winning.</summary>
    public IEnumerable<SubjectExample> ApprovedAssets => Positives.Where(e => e.AssetId is not null);

    public int ReviewedPositives => All.Count(e => e.Source == ExampleSource.Review && e.Positive);
    public int ReviewedNegatives => All.Count(e => e.Source == ExampleSource.Review && !e.Positive);
    public DateTime? LastDecisionUtc => Rounds.Count == 0 ? null : Rounds[^1].DecidedUtc;

    public static SubjectExamples Load(MediaLibrary library, Subject subject, Action<ItemError>? onError = null)
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
        var decisions = ReviewDecisions.Read(library, onError)
            .Where(d => string.Equals(d.Label, subject.Name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(d.AssetId))
            .ToList();
        foreach (var d in decisions)
        {
            var id = d.AssetId.ToLowerInvariant();
            // The latest word on an asset wins, but an anchor is the person's own pick: only a newer decision overrides it.
            if (byAsset.TryGetValue(id, out var old) && old.DecidedUtc > d.DecidedUtc) continue;
            byAsset[id] = new SubjectExample(id, d.RelativePath, d.Approved ? d.Frame : null, null, d.Approved, ExampleSource.Review, d.DecidedUtc, d.Score)
            {
                Model = d.Model,
                ScoreKind = SubjectQuery.ScoreKindOf(d.QueryKind),
                DecidedBy = d.DecidedBy,
                ReviewFile = d.ReviewFile,
            };
        }
        var rounds = decisions.GroupBy(d => d.ReviewFile)
            .Select(g => new SubjectRound(g.First().DecidedUtc, g.Count(d => d.Approved), g.Count(), g.Key))
            .OrderBy(r => r.DecidedUtc).ThenBy(r => r.ReviewFile, StringComparer.Ordinal).ToList();
        return new SubjectExamples(files.Concat(byAsset.Values).ToList(), rounds);
    }
}

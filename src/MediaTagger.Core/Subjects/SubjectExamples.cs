using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;

namespace MediaTagger.Core.Subjects;

/// <summary>
/// A subject's examples: its anchors plus the latest review decision on each asset among the reviews labelled with the
/// subject's name (case ignored), so decisions made in any session, by any review, all count. The one place that
/// reads the review record for subjects.
/// </summary>
public sealed class SubjectExamples
{
    SubjectExamples(List<SubjectExample> all, List<ReviewRecord> rounds)
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
    public IReadOnlyList<ReviewRecord> Rounds { get; }

    /// <summary>Library assets approved for the subject (anchors in the library included: a person chose them), latest decision winning.</summary>
    public IEnumerable<SubjectExample> ApprovedAssets => Positives.Where(e => e.AssetId is not null);

    public int ReviewedPositives => All.Count(e => e.Source == ExampleSource.Review && e.Positive);
    public int ReviewedNegatives => All.Count(e => e.Source == ExampleSource.Review && !e.Positive);
    public DateTime? LastDecisionUtc => Rounds.Count == 0 ? null : Rounds[^1].CreatedUtc;

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
        var rounds = new List<ReviewRecord>();
        foreach (var record in ReviewHistory.Load(library, onError))
        {
            if (!string.Equals(record.Label, subject.Name, StringComparison.OrdinalIgnoreCase)) continue;
            rounds.Add(record);
            foreach (var d in record.Decisions)
            {
                if (string.IsNullOrEmpty(d.Id)) continue;
                var id = d.Id.ToLowerInvariant();
                // The latest word on an asset wins, but an anchor is the person's own pick: only a newer decision overrides it.
                if (byAsset.TryGetValue(id, out var old) && old.DecidedUtc > record.CreatedUtc) continue;
                byAsset[id] = new SubjectExample(id, d.RelativePath, null, null, d.Approved, ExampleSource.Review, record.CreatedUtc, d.Score);
            }
        }
        return new SubjectExamples(files.Concat(byAsset.Values).ToList(), rounds);
    }
}

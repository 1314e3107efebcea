using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;
using MediaTagger.Core.Subjects;
using MediaTagger.Core.Tests.Search;

namespace MediaTagger.Core.Tests.Subjects;

/// <summary>
/// A library whose store holds a subject's items (around one direction) among distractors, some of them close to it,
/// with the truth for a simulated reviewer.
/// </summary>
sealed class SubjectWorld : IDisposable
{
    public SubjectWorld(int positives = 30, int distractors = 90, int dim = 16, int seed = 5)
    {
        Fixture = new SearchFixture(dim);
        var rng = new Random(seed);
        float[] Near(int axis, double spread, int other)
        {
            var v = new float[dim];
            v[axis] = 1;
            v[other] += (float)(spread * rng.NextDouble());
            for (var d = 0; d < dim; d++) v[d] += (float)(0.25 * (rng.NextDouble() - 0.5));
            return v;
        }
        for (var i = 0; i < positives + distractors; i++)
        {
            var positive = i < positives;
            var asset = Fixture.AddAsset($"photos/{(positive ? "teddy" : "other")}_{i:D3}.jpg");
            // Distractors: half of them lean towards the subject's direction (the neighbour's dog).
            var vector = positive ? Near(0, 0.6, 1) : i % 2 == 0 ? Near(2, 0.9, 0) : Near(3 + i % (dim - 3), 0.5, 1);
            Fixture.Embed((asset.Id, vector));
            (positive ? Positives : Negatives).Add(asset);
        }
        Library = Fixture.Library;
    }

    public SearchFixture Fixture { get; }
    public MediaLibrary Library { get; }
    public List<MediaAsset> Positives { get; } = [];
    public List<MediaAsset> Negatives { get; } = [];

    public bool IsPositive(string id) => Positives.Any(p => p.Id == id);

    public Subject CreateSubject(string name = "Teddy")
    {
        var subject = new Subject
        {
            Name = name,
            Tag = "Pets|" + name,
            Anchors = Positives.Take(2).Select(a => new SubjectAnchor { Id = a.Id, RelativePath = a.RelativePath }).ToList(),
        };
        SubjectStore.Save(Library, subject);
        return subject;
    }

    public SubjectSession Session(string model = SearchFixture.ModelName) => new()
    {
        Library = Library,
        Model = model,
        OpenModel = name => throw new MediaTaggerException(ErrorIds.ModelNotInstalled, $"{name} is not installed (none is needed: every example is in the store)"),
        Slots = location => new ResidentStoreSlot(location),
    };

    /// <summary>One review round answered from the truth; returns the batch.</summary>
    public List<SubjectCandidate> ReviewRound(Subject subject, int size)
    {
        var batch = Session().Run(subject.Name, s => s.NextBatch(size).Items.ToList(), e => throw new InvalidOperationException(e.Message));
        if (batch.Count > 0)
            SubjectDecisions.Record(Library, subject, batch.Select(c => new SubjectDecision(c.Asset, IsPositive(c.Asset.Id), c.Value)).ToList(), "test");
        return batch;
    }

    public void Dispose() => Fixture.Dispose();
}

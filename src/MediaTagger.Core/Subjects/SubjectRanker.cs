using MediaTagger.Core.Common;
using System.Numerics.Tensors;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Subjects;

/// <summary>How a subject is ranked right now.</summary>
public enum SubjectMode
{
    /// <summary>Too few decisions on one side: the score is the best cosine similarity to a positive example (the anchors' rule).</summary>
    Anchors,
    /// <summary>Enough decisions on both sides: the calibrated probability of the trained classifier.</summary>
    Classifier,
}

/// <summary>One ranked item: its asset, the row (frame) that scored best, the raw score and, for a classifier, the probability.</summary>
public sealed record SubjectCandidate(MediaAsset Asset, int Row, int? Frame, double Score, double? Probability)
{
    /// <summary>For a person subject: the face ranked (its picture is <see cref="Asset"/>).</summary>
    public Faces.MediaFace? Face { get; init; }

    /// <summary>What ranks it: the probability when there is one, else the similarity.</summary>
    public double Value => Probability ?? Score;
}

/// <summary>
/// Ranks a store's assets for a subject. With only anchors (or too few decisions on one side) the score is the
/// best cosine similarity to a positive example, negatives excluding what lies closer to them (the search's rule);
/// otherwise a <see cref="SubjectClassifier"/> trained on the examples' vectors gives calibrated probabilities.
/// Both run on the store's own scan (one dot product per stored row: the classifier is one weight vector).
/// </summary>
public sealed class SubjectRanker
{
    SubjectRanker(SubjectVectors vectors, SubjectClassifier? classifier)
    {
        Vectors = vectors;
        Classifier = classifier;
    }

    public SubjectVectors Vectors { get; }
    public SubjectClassifier? Classifier { get; }
    public SubjectMode Mode => Classifier is null ? SubjectMode.Anchors : SubjectMode.Classifier;

    /// <exception cref="MediaTaggerException">No positive example has a vector under this model.</exception>
    public static SubjectRanker Train(Subject subject, SubjectVectors vectors)
    {
        var subjectName = subject.Name;
        if (vectors.Positives.Count == 0)
            throw new MediaTaggerException(ErrorIds.SubjectNoExamples, subject.Kind == SubjectKind.Person
                ? $"The person '{subjectName}' has no face to start from: name one with Set-MediaFaceName {subjectName} (e.g. Find-MediaFace -Anchor alice.jpg | Invoke-MediaReview | Set-MediaFaceName {subjectName}), or give an anchor photo of the library whose faces were found (Add-MediaFace)."
                : $"The subject '{subjectName}' has no positive example this model has a vector for" +
                  (vectors.Missing.Count > 0 ? $" ({vectors.Missing.Count} example(s) are not embedded with it: run Add-MediaEmbedding with this model)." : ": add an anchor with New-MediaSubject -Anchor or Set-MediaSubject -Anchor."),
                ErrorKind.ObjectNotFound, subjectName);
        var classifier = SubjectClassifier.CanTrain(vectors.Positives.Count, vectors.Negatives.Count)
            ? SubjectClassifier.Train(vectors.Positives, vectors.Negatives, vectors.Background)
            : null;
        return new SubjectRanker(vectors, classifier);
    }

    /// <summary>
    /// A person's ranking: every face of the library (decided ones left out unless <paramref name="includeDecided"/>),
    /// best first. With too few decisions: the best cosine similarity to a positive face (as Find-MediaFace ranks by
    /// anchor faces); then the classifier's calibrated probability on the face embedding.
    /// </summary>
    public List<SubjectCandidate> RankFaces(Faces.FaceLibrary faces, IReadOnlySet<string> decided, int k, bool includeDecided = false)
    {
        var ranked = new List<SubjectCandidate>();
        foreach (var face in faces.Faces)
        {
            if (!includeDecided && decided.Contains(face.FaceId)) continue;
            if (Classifier is null)
            {
                var best = Vectors.Positives.Max(p => TensorPrimitives.Dot(p, face.Vector));
                ranked.Add(new SubjectCandidate(face.Asset, -1, face.Frame, best, null) { Face = face });
            }
            else
            {
                var raw = Classifier.Raw(face.Vector);
                ranked.Add(new SubjectCandidate(face.Asset, -1, face.Frame, raw, Classifier.Probability(raw)) { Face = face });
            }
        }
        return ranked.OrderByDescending(c => c.Value).ThenBy(c => c.Face!.FaceId, StringComparer.Ordinal).Take(k).ToList();
    }

    /// <summary>
    /// The best <paramref name="k"/> catalogued assets, best first; decided ones left out unless <paramref name="includeDecided"/>.
    /// <paramref name="include"/> is an extra filter asked only for assets that would make the top K (thread-safe).
    /// </summary>
    public List<SubjectCandidate> Rank(ResidentStore store, AssetCatalog catalog, IReadOnlySet<string> decided, int k, bool includeDecided = false,
        Func<MediaAsset, bool>? include = null, int? maxThreads = null, CancellationToken cancellationToken = default)
    {
        catalog.FindById(""); // builds the id map here, not racily on the scan's worker threads
        // The classifier scans as its unit weight direction (raw = |w| * score + bias), so every scan path, the int8
        // first pass included, sees a unit query; the anchors' rule compares as the search does (centred for models with a feature mean).
        var norm = Classifier is null ? 0 : MathF.Sqrt(TensorPrimitives.Dot(Classifier.Weights, Classifier.Weights));
        var direction = Classifier is null ? null : Classifier.Weights.Select(w => norm > 0 ? w / norm : 0).ToArray();
        var request = new ScanRequest
        {
            Positives = direction is null ? Vectors.Positives : [direction],
            Negatives = Classifier is null ? Vectors.Negatives : [],
            Mean = Classifier is null ? FeatureStatistics.For(store.Meta.ModelId)?.Mean : null,
            K = k,
            MinScore = float.MinValue,
            MaxThreads = maxThreads,
            Include = g =>
            {
                var id = store.AssetIdOf(g);
                return (includeDecided || !decided.Contains(id)) && catalog.FindById(id) is { } asset && (include is null || include(asset));
            },
        };
        var hits = SimilarityScan.TopK(store, request, cancellationToken);
        var ranked = new List<SubjectCandidate>(hits.Length);
        foreach (var hit in hits)
        {
            var asset = catalog.FindById(store.AssetIdOf(hit.Group))!;
            var (first, end) = store.RowsOf(hit.Group);
            int? frame = asset.Type == MediaType.Video || end - first > 1 ? store.FrameOf(hit.Row) : null;
            if (Classifier is null) ranked.Add(new SubjectCandidate(asset, hit.Row, frame, hit.Score, null));
            else
            {
                var raw = norm * hit.Score + (double)Classifier.Bias;
                ranked.Add(new SubjectCandidate(asset, hit.Row, frame, raw, Classifier.Probability(raw)));
            }
        }
        return ranked;
    }
}

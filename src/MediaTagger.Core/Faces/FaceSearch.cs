using System.Numerics.Tensors;
using MediaTagger.Core.Common;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Faces;

/// <summary>An anchor face: its vector and what it came from (a photo path or a face id).</summary>
public sealed record AnchorFace(string Source, float[] Vector);

/// <summary>
/// Finds people by their faces: every picture holding a face whose cosine similarity to any anchor face reaches the
/// threshold, scored by the best face against the best anchor (max over anchors), best first.
/// </summary>
public static class FaceSearch
{
    /// <summary>
    /// Cosine similarity above which two faces are taken for one person by default. Measured on 96 real faces of 24
    /// people (each in four versions of its photo): 97% of same-person pairs score at least 0.7, no pair of different
    /// people above 0.647 (docs/faces.md).
    /// </summary>
    public const double DefaultMinScore = 0.7;

    /// <summary>The largest face of an anchor photo (the person the photo is of); an error when it has none.</summary>
    public static AnchorFace FromPhoto(FaceAnalyzer analyzer, string path, CancellationToken cancellationToken)
    {
        // A FIFO or device would block or never end: refused before anything opens it.
        FileKind.ThrowIfNotRegular(path);
        var picture = ImageRep.DecodePixels(path, analyzer.Options.PictureSize, cancellationToken);
        var face = analyzer.Analyze(picture, cancellationToken).OrderByDescending(f => f.Detection.Area).FirstOrDefault()
            ?? throw new MediaTaggerException(ErrorIds.FaceAnchorNoFace, $"No face was found in the anchor '{path}': choose a photo where the person's face is visible.", ErrorKind.InvalidData, path);
        return new AnchorFace(path, face.Vector);
    }

    /// <summary>Stored faces as anchors (a person's named faces, or faces picked by hand).</summary>
    public static List<AnchorFace> FromFaces(FaceLibrary faces, IEnumerable<string> faceIds) =>
        faceIds.Select(id => new AnchorFace(id, faces.Find(id)?.Vector
            ?? throw new MediaTaggerException(ErrorIds.FaceNotFound, $"The face {id} is no longer in the store: run Get-MediaFace for the current faces.", ErrorKind.ObjectNotFound, id))).ToList();

    public static List<FaceMatch> Find(FaceLibrary faces, IReadOnlyList<AnchorFace> anchors, double minScore, int? top = null, IReadOnlySet<string>? excludeFaces = null)
    {
        var best = new Dictionary<string, (MediaFace Face, double Score, string Anchor)>(StringComparer.Ordinal);
        foreach (var face in faces.Faces)
        {
            if (excludeFaces?.Contains(face.FaceId) == true) continue;
            foreach (var anchor in anchors)
            {
                var score = (double)TensorPrimitives.Dot(face.Vector, anchor.Vector);
                if (score < minScore) continue;
                if (!best.TryGetValue(face.AssetId, out var b) || score > b.Score) best[face.AssetId] = (face, score, anchor.Source);
            }
        }
        var ordered = best.Values.OrderByDescending(b => b.Score).ThenBy(b => b.Face.RelativePath, StringComparer.Ordinal);
        var list = (top is { } k ? ordered.Take(k) : ordered).ToList();
        return list.Select((b, i) => new FaceMatch(b.Face, Math.Round(b.Score, 6), i + 1, b.Anchor)).ToList();
    }
}

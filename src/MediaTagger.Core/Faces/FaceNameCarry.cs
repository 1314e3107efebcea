using System.Numerics.Tensors;

namespace MediaTagger.Core.Faces;

/// <summary>
/// Keeps names when an asset is analysed again (its file changed, or a new detector run with -Force): a new face takes
/// the name of a named face of the previous analysis when their boxes overlap (intersection over union at least
/// <see cref="MinOverlap"/>, same video frame) and, when the previous face's vector is still stored, they look like
/// the same person (cosine at least <see cref="MinSimilarity"/>). Pairs are matched one to one, best overlap first.
/// </summary>
static class FaceNameCarry
{
    /// <summary>
    /// Boxes in the same place: the same face found again in an edited or re-saved file overlaps itself almost entirely
    /// (IoU ≈ 1); two different faces next to each other in a group photo overlap far less than half.
    /// </summary>
    public const double MinOverlap = 0.5;

    /// <summary>The same person by the search's own measured threshold (docs/faces.md: 97% of same-person pairs reach it, no different pair).</summary>
    public const double MinSimilarity = FaceSearch.DefaultMinScore;

    /// <summary>The name each of <paramref name="faces"/> keeps (null for none), from <paramref name="previous"/> and its names.</summary>
    /// <param name="previousVectors">The previous record with its vectors, when they are still stored; without them the overlap alone decides.</param>
    public static IReadOnlyList<string?> Carry(FaceLog.LogRecord? previous, FaceRecord? previousVectors, IReadOnlyDictionary<string, string> names, IReadOnlyList<StoredFace> faces)
    {
        var result = new string?[faces.Count];
        if (previous is null) return result;
        var candidates = new List<(double Overlap, int Old, int New)>();
        for (var i = 0; i < previous.Faces.Count; i++)
        {
            if (!names.ContainsKey(FaceRecord.FaceId(previous.AssetId, i))) continue;
            var old = previous.Faces[i];
            var oldVector = previousVectors?.Faces.Count == previous.Faces.Count ? previousVectors.Faces[i].Vector : null;
            for (var j = 0; j < faces.Count; j++)
            {
                if (faces[j].Frame != old.Frame) continue;
                var overlap = IoU(old, faces[j]);
                if (overlap < MinOverlap) continue;
                if (oldVector is { Length: > 0 } && faces[j].Vector.Length == oldVector.Length && TensorPrimitives.Dot(oldVector, faces[j].Vector) < MinSimilarity) continue;
                candidates.Add((overlap, i, j));
            }
        }
        var usedOld = new HashSet<int>();
        foreach (var (_, i, j) in candidates.OrderByDescending(c => c.Overlap))
        {
            if (result[j] is not null || !usedOld.Add(i)) continue;
            result[j] = names[FaceRecord.FaceId(previous.AssetId, i)];
        }
        return result;
    }

    /// <summary>Intersection over union of two boxes (normalised coordinates).</summary>
    public static double IoU(StoredFace a, StoredFace b)
    {
        var w = Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);
        if (w <= 0 || h <= 0) return 0;
        var inter = (double)w * h;
        return inter / ((double)a.Width * a.Height + (double)b.Width * b.Height - inter);
    }
}

namespace MediaTagger.Core.Faces;

/// <summary>
/// BlazeFace's own post-processing (as MediaPipe and Human do it for the 256×256 back-camera model): 896 anchors
/// (16×16 cells × 2 at stride 16, 8×8 cells × 6 at stride 32), box centre and landmarks as pixel offsets from the
/// anchor centre, box size in input pixels, score = sigmoid(logit); then non-maximum suppression.
/// </summary>
public static class BlazeFace
{
    public const int AnchorCount = 896;
    public const int Regressors = 16;

    static readonly (float X, float Y)[] Anchors = MakeAnchors(FaceModelFiles.DetectorSize);

    static (float X, float Y)[] MakeAnchors(int size)
    {
        var list = new List<(float, float)>();
        foreach (var (stride, perCell) in new[] { (size / 16, 2), (size / 8, 6) })
        {
            var cells = (size + stride - 1) / stride;
            for (var y = 0; y < cells; y++)
            for (var x = 0; x < cells; x++)
            for (var n = 0; n < perCell; n++)
                list.Add((stride * (x + 0.5f), stride * (y + 0.5f)));
        }
        return list.ToArray();
    }

    /// <summary>Every anchor scoring at least <paramref name="minScore"/>, in the detector's 256-pixel input space.</summary>
    public static List<FaceDetection> Decode(float[] regressors, float[] logits, float minScore)
    {
        var list = new List<FaceDetection>();
        // Logits are clipped as MediaPipe does, so a wild value cannot overflow exp().
        for (var i = 0; i < AnchorCount; i++)
        {
            var score = 1f / (1f + MathF.Exp(-Math.Clamp(logits[i], -100f, 100f)));
            if (score < minScore) continue;
            var r = regressors.AsSpan(i * Regressors, Regressors);
            var (ax, ay) = Anchors[i];
            var cx = ax + r[0];
            var cy = ay + r[1];
            var w = r[2];
            var h = r[3];
            var landmarks = new FacePoint[6];
            for (var k = 0; k < 6; k++) landmarks[k] = new FacePoint(ax + r[4 + 2 * k], ay + r[5 + 2 * k]);
            list.Add(new FaceDetection(cx - w / 2, cy - h / 2, w, h, score, landmarks));
        }
        return list;
    }

    /// <summary>
    /// Greedy non-maximum suppression, best score first: a box is dropped when it overlaps a kept one by more than
    /// <paramref name="iou"/>, or lies mostly (<paramref name="containment"/> of its area) inside a kept one (a partial
    /// view of a face seen whole at another scale).
    /// </summary>
    public static List<FaceDetection> Suppress(IEnumerable<FaceDetection> detections, float iou, float containment = 1f)
    {
        var kept = new List<FaceDetection>();
        foreach (var d in detections.OrderByDescending(d => d.Score))
        {
            if (kept.Any(k => k.IntersectionOverUnion(d) > iou || (containment < 1f && k.Intersection(d) > containment * Math.Min(d.Area, k.Area))))
                continue;
            kept.Add(d);
        }
        return kept;
    }
}

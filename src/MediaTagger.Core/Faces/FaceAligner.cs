using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Faces;

/// <summary>
/// Aligns a face for the embedder: the similarity transform (rotation, uniform scale, shift) that best maps the eyes,
/// nose tip and mouth centre onto the 112×112 ArcFace template MobileFaceNet was trained on (insightface's five
/// points, the two mouth corners averaged), least squares.
/// </summary>
public static class FaceAligner
{
    static readonly FacePoint[] Template =
    [
        new(38.2946f, 51.6963f),   // eye on the image's left (the person's right)
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),   // nose tip
        new(56.1396f, 92.2848f),   // mouth centre
    ];

    /// <summary>The map from template pixels to picture pixels for <paramref name="face"/>.</summary>
    internal static ImageSampler.Affine MapFor(FaceDetection face)
    {
        var p = face.Landmarks.Take(Template.Length).ToArray();
        var q = Template;
        double pmx = p.Average(v => v.X), pmy = p.Average(v => v.Y), qmx = q.Average(v => v.X), qmy = q.Average(v => v.Y);
        double re = 0, im = 0, norm = 0;
        for (var i = 0; i < q.Length; i++)
        {
            double px = p[i].X - pmx, py = p[i].Y - pmy, qx = q[i].X - qmx, qy = q[i].Y - qmy;
            // (p) · conj(q) as complex numbers.
            re += px * qx + py * qy;
            im += py * qx - px * qy;
            norm += qx * qx + qy * qy;
        }
        re /= norm;
        im /= norm;
        var tx = pmx - (re * qmx - im * qmy);
        var ty = pmy - (im * qmx + re * qmy);
        return new ImageSampler.Affine(re, -im, tx, im, re, ty);
    }

    /// <summary>Writes the aligned face into <paramref name="dst"/> at <paramref name="offset"/>, scaled as MobileFaceNet expects ((v − 127.5) / 128).</summary>
    public static void Align(RgbPixels picture, FaceDetection face, float[] dst, int offset) =>
        ImageSampler.Sample(picture, MapFor(face), FaceModelFiles.EmbedderSize, dst, offset, 127.5f, 128f);
}

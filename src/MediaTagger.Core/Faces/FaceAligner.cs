using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Faces;

/// <summary>
/// Crops a face for the embedder as FaceRes was trained: the detector's square box, turned so the eyes are level,
/// resized to 224×224, RGB 0–255.
/// </summary>
public static class FaceAligner
{
    /// <summary>The map from crop pixels to picture pixels for <paramref name="face"/>.</summary>
    public static ImageSampler.Affine MapFor(FaceDetection face)
    {
        var size = FaceModelFiles.EmbedderSize;
        var (left, right) = (face.Landmarks[0], face.Landmarks[1]);
        var angle = Math.Atan2(right.Y - left.Y, right.X - left.X);
        // A profile face has both eyes at one point: no angle to trust.
        if (Math.Abs(right.X - left.X) + Math.Abs(right.Y - left.Y) < face.Width * 0.1) angle = 0;
        var scale = Math.Max(face.Width, face.Height) / size;
        var (cos, sin) = (Math.Cos(angle) * scale, Math.Sin(angle) * scale);
        var (cx, cy) = (face.X + face.Width / 2, face.Y + face.Height / 2);
        var half = size / 2.0;
        return new ImageSampler.Affine(cos, -sin, cx - (cos - sin) * half, sin, cos, cy - (sin + cos) * half);
    }

    /// <summary>Writes the crop into <paramref name="dst"/> at <paramref name="offset"/> (NHWC, 0–255 as FaceRes expects).</summary>
    public static void Align(RgbPixels picture, FaceDetection face, float[] dst, int offset) =>
        ImageSampler.Sample(picture, MapFor(face), FaceModelFiles.EmbedderSize, dst, offset, 0f, 1f);
}

namespace MediaTagger.Core.Faces;

/// <summary>A point in picture pixels.</summary>
public readonly record struct FacePoint(float X, float Y);

/// <summary>
/// One detected face in picture pixels: its box, the detector's score (0–1), and six landmarks as BlazeFace gives
/// them: right eye, left eye (the person's), nose tip, mouth centre, right ear, left ear.
/// </summary>
public sealed record FaceDetection(float X, float Y, float Width, float Height, float Score, FacePoint[] Landmarks)
{
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public float IntersectionOverUnion(FaceDetection other)
    {
        var inter = Intersection(other);
        return inter <= 0 ? 0 : inter / (Area + other.Area - inter);
    }

    public float Intersection(FaceDetection other)
    {
        var w = Math.Min(X + Width, other.X + other.Width) - Math.Max(X, other.X);
        var h = Math.Min(Y + Height, other.Y + other.Height) - Math.Max(Y, other.Y);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /// <summary>The same face in another pixel grid: source = this·scale + offset.</summary>
    public FaceDetection Transform(float scale, float dx, float dy) =>
        new(X * scale + dx, Y * scale + dy, Width * scale, Height * scale, Score, Landmarks.Select(p => new FacePoint(p.X * scale + dx, p.Y * scale + dy)).ToArray());
}

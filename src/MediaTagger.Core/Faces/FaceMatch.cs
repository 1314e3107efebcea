using MediaTagger.Core.Search;

namespace MediaTagger.Core.Faces;

/// <summary>
/// A picture in which a face matches the query (the best face of the picture against the best anchor face), with
/// that face's box (normalised 0–1), so review can show it and XMP can write it as a face region.
/// </summary>
public sealed record FaceMatch : MediaMatch
{
    internal FaceMatch(MediaFace face, double score, int rank, string anchor) : base(face.Asset)
    {
        Score = score;
        Rank = rank;
        BestAnchor = anchor;
        BestFrame = face.Frame;
        FaceId = face.FaceId;
        FaceX = face.X;
        FaceY = face.Y;
        FaceWidth = face.Width;
        FaceHeight = face.Height;
        FaceName = face.Name;
    }

    public string FaceId { get; }
    public double FaceX { get; }
    public double FaceY { get; }
    public double FaceWidth { get; }
    public double FaceHeight { get; }

    /// <summary>The name the matching face already has, if any.</summary>
    public string? FaceName { get; }
}

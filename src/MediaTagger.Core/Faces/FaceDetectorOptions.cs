namespace MediaTagger.Core.Faces;

/// <summary>How faces are looked for; the defaults were measured on the face-api demo photos (see docs/faces.md).</summary>
public sealed record FaceDetectorOptions
{
    /// <summary>The picture's longest side for detection: big enough for small faces in group photos.</summary>
    public int PictureSize { get; init; } = 1600;

    /// <summary>Faces scoring below this are dropped.</summary>
    public float MinScore { get; init; } = 0.75f;

    /// <summary>Overlap above which two boxes are one face.</summary>
    public float Iou { get; init; } = 0.3f;

    /// <summary>Smallest tile side in picture pixels; tiles shrink by half per level down to this (finer tiles find smaller faces).</summary>
    public int MinTile { get; init; } = 320;

    /// <summary>Faces smaller than this (box side in picture pixels) are not kept: too small to recognise.</summary>
    public int MinFaceSize { get; init; } = 20;
}

using MediaTagger.Core.Library;

namespace MediaTagger.Core.Faces;

/// <summary>
/// One stored face as users see it: which file, where in the picture (normalised 0–1), the detector's score and the
/// person's name if it has one. Immutable: naming a face is a store write, and reading it again shows the new name.
/// </summary>
public sealed class MediaFace
{
    internal MediaFace(MediaAsset asset, int index, StoredFace face, string? name)
    {
        Asset = asset;
        Index = index;
        Face = face;
        Name = name;
    }

    internal MediaAsset Asset { get; }
    internal StoredFace Face { get; }

    public string FaceId => FaceRecord.FaceId(Asset.Id, Index);
    public string AssetId => Asset.Id;
    public string Path => Asset.Path;
    public string RelativePath => Asset.RelativePath;
    public string LibraryRoot => Asset.LibraryRoot;
    public string StorePath => Asset.StorePath;
    public int Index { get; }
    public int? Frame => Face.Frame;
    public double X => Face.X;
    public double Y => Face.Y;
    public double Width => Face.Width;
    public double Height => Face.Height;
    public double Score => Face.Score;
    public string? Name { get; }

    internal float[] Vector => Face.Vector;

    public override string ToString() => $"{RelativePath}#{Index}{(Name is null ? "" : " " + Name)}";
}

namespace MediaTagger.Core.Xmp;

/// <summary>What to do to one sidecar: tags to add and to remove, for the media files that share it.</summary>
public sealed class TagEditRequest
{
    public required string Sidecar { get; init; }

    /// <summary>The media files whose tags go into this sidecar (two for a RAW+JPEG pair).</summary>
    public required List<string> MediaPaths { get; init; }

    /// <summary>Normalised hierarchical tags to add (see <see cref="TagPath.Normalize"/>).</summary>
    public List<string> Add { get; init; } = [];

    public List<string> Remove { get; init; } = [];

    public SubjectLevels SubjectLevels { get; init; }

    /// <summary>Face regions to merge in (mwg-rs:Regions), with the picture's size in pixels for AppliedToDimensions.</summary>
    public List<XmpFaceRegion> Regions { get; init; } = [];
    public int ImageWidth { get; init; }
    public int ImageHeight { get; init; }

    /// <summary>Where tags of <see cref="Add"/> came from (mediatagger:Provenance, <see cref="XmpProvenance"/>); empty: none is written.</summary>
    public List<TagProvenance> Provenance { get; init; } = [];

    /// <summary>The id of the command run this edit belongs to.</summary>
    public string? Run { get; init; }

    /// <summary>The journal this write is recorded in.</summary>
    public required string JournalPath { get; init; }

    public TagOperation Operation => Remove.Count > 0 && Add.Count == 0 ? TagOperation.Remove : TagOperation.Set;
}

/// <summary>A computed but not yet written edit: the sidecar's bytes before and after, and what changes.</summary>
public sealed class TagEditPlan
{
    public required TagEditRequest Request { get; init; }

    /// <summary>The sidecar as read; null when it does not exist yet.</summary>
    public byte[]? Before { get; init; }

    public byte[]? After { get; init; }

    public List<PropertyChange> Changes { get; init; } = [];

    /// <summary>Hierarchical tags the sidecar did not have and will have.</summary>
    public List<string> Added { get; init; } = [];

    /// <summary>Hierarchical tags the sidecar had and will no longer have.</summary>
    public List<string> Removed { get; init; } = [];

    /// <summary>Every tag of the sidecar after the edit.</summary>
    public IReadOnlyList<string> TagsAfter { get; init; } = [];

    public bool HasChanges => Changes.Count > 0;
}

using MediaTagger.Core.Library;

namespace MediaTagger.Core.Reps;

/// <summary>
/// What New-MediaRep emits: the asset's catalog facts plus its rep, as flat columns (so Export-Csv and ConvertTo-Json
/// stay readable). The next stage takes it straight from the pipeline; the record itself lives in the rep index.
/// </summary>
public sealed record MediaRep : MediaAsset
{
    readonly RepInfo _rep;

    public MediaRep(MediaAsset asset, RepInfo rep) : base(asset.ToAsset()) => _rep = rep;

    /// <summary>The representative JPEG (first frame for videos).</summary>
    public string? RepPath => _rep.Failed ? null : GetRepFramePaths()[0];

    public int RepWidth => _rep.Width;
    public int RepHeight => _rep.Height;

    /// <summary>Rep files: 1 for images, N for a video rendered with -FramesPerVideo N.</summary>
    public int RepFrames => _rep.Frames;

    /// <summary>The rep record (source size and time it was made from, size, error).</summary>
    public RepInfo GetRep() => _rep;

    /// <summary>Every rep file, frame 1 first (a method, so exports keep one column per property).</summary>
    public IReadOnlyList<string> GetRepFramePaths() => _rep.FramePaths(this);
}

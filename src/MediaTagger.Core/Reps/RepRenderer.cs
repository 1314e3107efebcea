using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Reps;

/// <summary>What <see cref="RepRenderer.Update"/> did for one asset.</summary>
public enum RepOutcome
{
    /// <summary>The recorded rep was current; nothing was decoded.</summary>
    Reused,
    Rendered,
    Failed,
}

/// <summary>The rep state of one asset after <see cref="RepRenderer.Update"/>; <see cref="Error"/> is set when it failed.</summary>
public sealed record RepResult(MediaAsset Asset, RepInfo Rep, RepOutcome Outcome, ItemError? Error);

/// <summary>
/// Renders the rep file(s) of one <see cref="MediaAsset"/>: images through <see cref="ImageRep"/>, videos through the
/// system ffmpeg. Thread-safe; one instance serves a whole batch. It writes rep files only: recording the returned
/// <see cref="RepInfo"/> in the rep index is the caller's job (<see cref="RepBatch"/> does both).
/// </summary>
public sealed class RepRenderer
{
    readonly Lazy<string> _ffmpeg = new(FfmpegLocator.FindFolder, LazyThreadSafetyMode.PublicationOnly);

    public RepRenderer(RepOptions? options = null) => Options = options ?? new RepOptions();

    public RepOptions Options { get; }

    /// <summary>
    /// Reuses the asset's rep when it is current (same source size and time, size and frame count, files present;
    /// no decoding at all), otherwise renders it. Per-file failures come back as <see cref="RepOutcome.Failed"/>.
    /// </summary>
    /// <exception cref="MediaTaggerException">MediaRepFfmpegNotFound when a video is met and ffmpeg is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; no partial rep file is left.</exception>
    public RepResult Update(MediaAsset asset, CancellationToken cancellationToken = default)
    {
        FileInfo source = new(asset.Path);
        var recorded = RepIndex.RepOf(asset);
        if (!Options.Force && IsCurrent(asset, recorded, source)) return new RepResult(asset, recorded!, RepOutcome.Reused, null);
        return Render(asset, source, cancellationToken);
    }

    /// <summary>Renders the asset's rep file(s) unconditionally. A per-file failure returns a <see cref="RepInfo"/> with ErrorId/Error set.</summary>
    public RepInfo Render(MediaAsset asset, CancellationToken cancellationToken = default) =>
        Render(asset, new FileInfo(asset.Path), cancellationToken).Rep;

    /// <summary>True when the recorded rep matches the source on disk and the options, and its files are there and not empty (reps are written without fsync); decodes nothing.</summary>
    public bool IsCurrent(MediaAsset asset, FileInfo source) => IsCurrent(asset, RepIndex.RepOf(asset), source);

    bool IsCurrent(MediaAsset asset, RepInfo? recorded, FileInfo source) =>
        recorded is { Failed: false } rep
        && source.Exists
        && rep.SourceLength == source.Length
        && rep.SourceModifiedUtc == source.LastWriteTimeUtc
        && rep.Size == Options.Size
        && rep.Frames == FramesFor(asset)
        && rep.FramePaths(asset).All(f => new FileInfo(f) is { Exists: true, Length: > 0 });

    int FramesFor(MediaAsset asset) => asset.Type == MediaType.Video ? Math.Max(1, Options.FramesPerVideo) : 1;

    RepResult Render(MediaAsset asset, FileInfo source, CancellationToken ct)
    {
        var frames = FramesFor(asset);
        var rep = new RepInfo { Size = Options.Size, Frames = frames };
        var folder = MediaLibrary.RepsFolder(asset.StorePath);
        var destinations = Enumerable.Range(1, frames).Select(f => Path.Combine(folder, RepInfo.FileName(asset.Id, f))).ToList();
        try
        {
            source.Refresh();
            if (!source.Exists)
                throw new MediaTaggerException(ErrorIds.RepSourceNotFound, $"'{asset.Path}' no longer exists; run Get-MediaAsset to update the catalog.", ErrorKind.ObjectNotFound, asset.Path);
            FileKind.ThrowIfNotRegular(asset.Path);
            rep = rep with { SourceLength = source.Length, SourceModifiedUtc = source.LastWriteTimeUtc };
            var size = asset.Type == MediaType.Video
                ? VideoRep.Render(asset.Path, destinations, Options.Size, Options.Quality, _ffmpeg.Value, ct)
                : ImageRep.Render(asset.Path, destinations[0], Options.Size, Options.Quality, ct);
            rep = rep with { Width = size.Width, Height = size.Height };
            RemoveStaleFrames(asset.Id, folder, frames + 1);
            return new RepResult(asset, rep, RepOutcome.Rendered, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !(ex is MediaTaggerException { ErrorId: ErrorIds.RepFfmpegNotFound }))
        {
            var error = ex as MediaTaggerException
                ?? new MediaTaggerException(ErrorIds.RepDecodeFailed, $"'{asset.Path}' cannot be rendered: {ex.Message}", ErrorKind.InvalidData, asset.Path, ex);
            rep = rep with { ErrorId = error.ErrorId, Error = error.Message };
            // A rep of an older version of the file must not pass for this one.
            foreach (var d in destinations) AtomicFile.TryDelete(d);
            RemoveStaleFrames(asset.Id, folder, frames + 1);
            return new RepResult(asset, rep, RepOutcome.Failed, error.ToItemError() with { Target = asset.Path });
        }
    }

    /// <summary>Deletes <c>&lt;id&gt;_fN.jpg</c> from frame <paramref name="from"/> on (left over from a run with more frames per video).</summary>
    static void RemoveStaleFrames(string id, string folder, int from)
    {
        for (var f = Math.Max(2, from); ; f++)
        {
            var path = Path.Combine(folder, RepInfo.FileName(id, f));
            if (!File.Exists(path)) return;
            AtomicFile.TryDelete(path);
        }
    }
}

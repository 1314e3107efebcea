using System.Collections.Concurrent;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Faces;

public enum FaceScanStatus
{
    /// <summary>Faces were looked for in this run.</summary>
    Analyzed,

    /// <summary>The store already had this file's faces from the same models.</summary>
    Current,
}

/// <summary>One asset the face stage handled, and how many faces it holds.</summary>
public sealed record FaceScanResult(MediaAsset Asset, FaceScanStatus Status, int Faces);

/// <summary>
/// The engine of Add-MediaFace: detects and embeds the faces of each asset (a still at detection size from the
/// original file; a video through its rep frames) and appends them to its library's face store. Workers run in
/// parallel, one per core; finished assets are committed in small groups, so Ctrl+C or a crash loses at most the
/// assets in flight, and the next run skips every asset whose file and models have not changed.
/// </summary>
public sealed class FaceIndexer(FaceModels models, FaceDetectorOptions? options = null, bool force = false, int? workers = null)
{
    const int CommitEvery = 8;
    readonly FaceAnalyzer _analyzer = new(models, options);
    readonly Dictionary<MediaLibrary, FaceStore> _stores = new();
    readonly Dictionary<FaceStore, List<FaceRecord>> _pending = new();
    readonly object _gate = new();

    public static string StampOf(MediaAsset asset) => $"{asset.Length}:{asset.LastWriteTimeUtc.Ticks}";

    public void Run(IEnumerable<MediaAsset> assets, Action<FaceScanResult> onDone, Action<ItemError> onError, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers ?? Environment.ProcessorCount, CancellationToken = cancellationToken };
        try
        {
            Parallel.ForEach(Partitioner.Create(assets, EnumerablePartitionerOptions.NoBuffering), parallel, asset =>
            {
                var store = StoreOf(asset);
                var stamp = StampOf(asset);
                if (!force && store.IsCurrent(asset.Id, stamp, models.ModelId))
                {
                    onDone(new FaceScanResult(asset, FaceScanStatus.Current, store.Records[asset.Id].Faces.Count));
                    return;
                }
                List<StoredFace> faces;
                try
                {
                    faces = Analyze(asset, cancellationToken);
                }
                catch (MediaTaggerException ex)
                {
                    onError(ex.ToItemError());
                    return;
                }
                var record = new FaceRecord(asset.Id, stamp, models.ModelId, faces);
                lock (_gate)
                {
                    var list = _pending.TryGetValue(store, out var l) ? l : _pending[store] = [];
                    list.Add(record);
                    if (list.Count >= CommitEvery) Commit(store);
                }
                onDone(new FaceScanResult(asset, FaceScanStatus.Analyzed, faces.Count));
            });
        }
        finally
        {
            // What finished before a stop or failure is kept.
            lock (_gate)
                foreach (var store in _pending.Keys.ToList()) Commit(store);
        }
        // Re-analysed files leave replaced lines and rows behind: reclaimed once they pass a quarter of the store.
        foreach (var (library, store) in _stores)
        {
            var catalog = AssetCatalog.Load(library);
            store.Compact(id => catalog.FindById(id) is not null, onlyIfNeeded: true, cancellationToken);
        }
    }

    void Commit(FaceStore store)
    {
        var list = _pending[store];
        if (list.Count == 0) return;
        store.Append(list, repair: force);
        _pending[store] = [];
    }

    FaceStore StoreOf(MediaAsset asset)
    {
        var library = MediaLibrary.Open(asset.LibraryRoot, asset.StorePath);
        lock (_gate)
            return _stores.TryGetValue(library, out var store) ? store : _stores[library] = FaceStore.Open(library, repair: force);
    }

    List<StoredFace> Analyze(MediaAsset asset, CancellationToken cancellationToken)
    {
        if (asset.Type != MediaType.Video)
        {
            FileKind.ThrowIfNotRegular(asset.Path);
            var picture = ImageRep.DecodePixels(asset.Path, _analyzer.Options.PictureSize, cancellationToken);
            return _analyzer.Analyze(picture, cancellationToken).Select(f => StoredFace.From(f, picture.Width, picture.Height, null)).ToList();
        }
        var frames = RepIndex.FramePathsOf(asset);
        if (frames.Count == 0)
            throw new MediaTaggerException(ErrorIds.FaceImageUnreadable, $"'{asset.Path}' is a video without rep frames: run New-MediaRep first, then Add-MediaFace.", ErrorKind.ObjectNotFound, asset.Path);
        var faces = new List<StoredFace>();
        for (var i = 0; i < frames.Count; i++)
        {
            var picture = ImageRep.DecodePixels(frames[i], _analyzer.Options.PictureSize, cancellationToken);
            faces.AddRange(_analyzer.Analyze(picture, cancellationToken).Select(f => StoredFace.From(f, picture.Width, picture.Height, i + 1)));
        }
        return faces;
    }
}

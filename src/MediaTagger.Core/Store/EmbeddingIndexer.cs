using System.Collections.Concurrent;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Store;

public enum EmbeddingStatus
{
    /// <summary>Vectors were computed in this run.</summary>
    Embedded,

    /// <summary>The store already had vectors of the same rep with the same model.</summary>
    Current,
}

/// <summary>One asset whose vectors are in the store.</summary>
public sealed record EmbeddingResult(MediaAsset Asset, EmbeddingStatus Status, int Frames);

/// <summary>
/// The engine of Add-MediaEmbedding: turns the reps of a stream of assets into vectors in each library's store for
/// one model. Three stages run at once, so the model never waits for JPEG decoding or file writes:
/// decode/preprocess batch n+1 ‖ inference on batch n ‖ append batch n-1 to the store. Each appended batch is
/// committed on its own (a commit line in the store's index log), so Ctrl+C or a crash loses at most the batches in
/// flight; the next run skips every asset whose vectors are current (same rep files, same model, no stale frames).
/// When the run ends, a store whose superseded rows passed <see cref="EmbeddingStore.CompactFraction"/> is compacted.
/// </summary>
public sealed class EmbeddingIndexer
{
    readonly IEmbeddingModel _model;
    readonly int _batchSize;
    readonly bool _force;
    readonly RepOptions? _renderMissing;
    readonly Dictionary<string, EmbeddingStore> _stores = new(MediaLibrary.PathComparer);
    readonly List<StoreCompaction> _repairs = [];
    readonly List<StoreCompaction> _compactions = [];

    /// <param name="renderMissingReps">When set, an asset that never had a rep gets one rendered (and recorded in its
    /// catalog) with these options, as New-MediaRep would; when null it is reported (<see cref="ErrorIds.EmbeddingNoRep"/>).</param>
    public EmbeddingIndexer(IEmbeddingModel model, int batchSize = 32, bool force = false, RepOptions? renderMissingReps = null)
    {
        _model = model;
        _batchSize = Math.Max(1, batchSize);
        _force = force;
        _renderMissing = renderMissingReps;
    }

    sealed record Frame(MediaAsset Asset, EmbeddingStore Store, string Key, string Stamp, string Path);

    sealed record Batch(List<Frame> Frames, PreparedImages? Prepared = null, float[]?[]? Vectors = null);

    /// <summary>
    /// Embeds every asset of <paramref name="assets"/> (which may block while its producer is still working).
    /// <paramref name="onDone"/> and <paramref name="onError"/> are called from worker threads, as batches finish.
    /// </summary>
    /// <exception cref="MediaTaggerException">A store cannot be used (damaged, foreign, other model): nothing can proceed.</exception>
    public void Run(IEnumerable<MediaAsset> assets, Action<EmbeddingResult> onDone, Action<ItemError> onError, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = failed.Token;
        using var toPrepare = new BlockingCollection<Batch>(2);
        using var toInfer = new BlockingCollection<Batch>(1);
        using var toWrite = new BlockingCollection<Batch>(2);

        Task Stage(BlockingCollection<Batch> input, BlockingCollection<Batch>? output, Func<Batch, Batch?> work) => Task.Run(() =>
        {
            try
            {
                foreach (var batch in input.GetConsumingEnumerable(ct))
                    if (work(batch) is { } next) output?.Add(next, ct);
            }
            catch
            {
                failed.Cancel();
                throw;
            }
            finally { output?.CompleteAdding(); }
        });

        var prepare = Stage(toPrepare, toInfer, b => b with { Prepared = _model.PrepareImages(b.Frames.Select(f => f.Path).ToList(), ct) });
        var infer = Stage(toInfer, toWrite, b => b with { Vectors = _model.EmbedPrepared(b.Prepared!, ct) });
        var write = Stage(toWrite, null, b =>
        {
            Commit(b, onDone, onError);
            return null;
        });

        Exception? producerError = null;
        try
        {
            var pending = new List<Frame>();
            var unrendered = new List<MediaAsset>();
            void Handle(MediaAsset asset)
            {
                if (Plan(asset, onError) is not { } frames) return;
                if (!_force && frames[0].Store.IsCurrent(asset.Id, frames.Select(f => f.Stamp).ToList()))
                {
                    onDone(new EmbeddingResult(asset, EmbeddingStatus.Current, frames.Count));
                    return;
                }
                // An asset's frames stay in one batch, so it is either wholly committed or not at all.
                pending.AddRange(frames);
                if (pending.Count >= _batchSize)
                {
                    toPrepare.Add(new Batch(pending), ct);
                    pending = [];
                }
            }
            void RenderUnrendered()
            {
                if (unrendered.Count == 0) return;
                var rendered = new List<MediaAsset>();
                new RepBatch(_renderMissing!).Run(unrendered, a => { lock (rendered) rendered.Add(a); }, onError, null, ct);
                unrendered = [];
                foreach (var asset in rendered) Handle(asset);
            }
            foreach (var asset in assets)
            {
                ct.ThrowIfCancellationRequested();
                if (_renderMissing is not null && RepIndex.RepOf(asset) is null)
                {
                    unrendered.Add(asset);
                    if (unrendered.Count >= _batchSize) RenderUnrendered();
                    continue;
                }
                Handle(asset);
            }
            RenderUnrendered();
            if (pending.Count > 0) toPrepare.Add(new Batch(pending), ct);
        }
        catch (Exception ex)
        {
            producerError = ex;
            failed.Cancel();
        }
        finally
        {
            toPrepare.CompleteAdding();
        }

        try { Task.WaitAll(prepare, infer, write); }
        catch (AggregateException) { }
        // The first real failure wins over the cancellations it caused in the other stages.
        var errors = new[] { producerError, prepare.Exception?.InnerException, infer.Exception?.InnerException, write.Exception?.InnerException }.OfType<Exception>().ToList();
        var cause = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
        if (cause is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var store in _stores.Values)
            if (store.Superseded > store.RowCount * EmbeddingStore.CompactFraction
                && store.Compact(CatalogFilter(store.Location.Library), onlyIfNeeded: true, cancellationToken) is { } done)
                _compactions.Add(done);
    }

    /// <summary>Keeps the rows of catalogued assets (all rows when the library has no catalog to judge by).</summary>
    static Func<string, bool>? CatalogFilter(MediaLibrary library)
    {
        AssetCatalog catalog;
        // The run's work is committed: a catalog that cannot be read now only means nothing is dropped for being uncatalogued.
        try { catalog = AssetCatalog.Load(library); }
        catch (MediaTaggerException) { return null; }
        return catalog.Exists ? id => catalog.FindById(id) is not null : null;
    }

    /// <summary>The frames to embed for <paramref name="asset"/>, or null (after reporting why) when it has no usable rep.</summary>
    List<Frame>? Plan(MediaAsset asset, Action<ItemError> onError)
    {
        var recorded = RepIndex.RepOf(asset);
        if (recorded is null || recorded.Failed)
        {
            // A file New-MediaRep could not render is reported with that stage's failure, not with advice to run it again.
            onError(recorded is null
                ? new ItemError(ErrorIds.EmbeddingNoRep,
                    $"'{asset.Path}' has no representative image yet. Run New-MediaRep first, e.g. Get-MediaAsset -Library '{asset.LibraryRoot}' | New-MediaRep | Add-MediaEmbedding.",
                    asset.Path, ErrorKind.ObjectNotFound)
                : new ItemError(ErrorIds.EmbeddingNoRep,
                    $"'{asset.Path}' is skipped: New-MediaRep could not render it ({recorded.ErrorId}: {recorded.Error}). Replace or remove the file; New-MediaRep tries it again on its next run.",
                    asset.Path, ErrorKind.InvalidData));
            return null;
        }
        var store = StoreFor(asset);
        var frames = new List<Frame>();
        var paths = recorded.FramePaths(asset);
        for (var i = 0; i < paths.Count; i++)
        {
            var rep = new FileInfo(paths[i]);
            if (!rep.Exists)
            {
                onError(new ItemError(ErrorIds.EmbeddingNoRep,
                    $"The representative image of '{asset.Path}' is missing ('{rep.FullName}'). Run New-MediaRep again for it.",
                    asset.Path, ErrorKind.ObjectNotFound));
                return null;
            }
            // The rep file's size and time identify it: a re-rendered rep gets a new vector, an unchanged one is skipped.
            frames.Add(new Frame(asset, store, EmbeddingStore.Key(asset.Id, i + 1), $"{rep.Length}:{rep.LastWriteTimeUtc.Ticks}", rep.FullName));
        }
        return frames;
    }

    EmbeddingStore StoreFor(MediaAsset asset)
    {
        if (_stores.TryGetValue(asset.StorePath, out var store)) return store;
        var library = MediaLibrary.Open(asset.LibraryRoot, asset.StorePath);
        // -Force repairs a damaged store (keeping its intact rows) or one of another model (starting it empty).
        store = EmbeddingStore.OpenOrCreate(library, _model.Name, _model.ModelId, _model.Dimension, _model.Preprocessing, repair: _force);
        if (store.Repaired is { } repair) _repairs.Add(repair);
        // A writing run removes what crashed runs left behind (the store sweeps its own folder when it first writes).
        AtomicFile.SweepDebris(library.DataPath);
        AtomicFile.SweepDebris(library.RepsPath);
        _stores[asset.StorePath] = store;
        return store;
    }

    /// <summary>Stores -Force repaired in this run (damaged, or holding another model's vectors).</summary>
    public IReadOnlyList<StoreCompaction> Repairs => _repairs;

    /// <summary>Stores compacted automatically at the end of the run.</summary>
    public IReadOnlyList<StoreCompaction> Compactions => _compactions;

    void Commit(Batch batch, Action<EmbeddingResult> onDone, Action<ItemError> onError)
    {
        var vectors = batch.Vectors!;
        var errors = batch.Prepared!.Errors;
        var failedAssets = new HashSet<MediaAsset>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < batch.Frames.Count; i++)
        {
            var asset = batch.Frames[i].Asset;
            if (errors[i] is { } e && failedAssets.Add(asset))
                onError(e with { Message = $"The representative image of '{asset.Path}' cannot be decoded ({e.Message}). Run New-MediaRep -Force for it.", Target = asset.Path });
            else if (errors[i] is null && (vectors[i] is not { } v || !RowCheck.IsUnit(v)) && failedAssets.Add(asset))
                // The store takes only finite unit vectors: a model that yields anything else for this image is reported, not stored.
                onError(new ItemError(ErrorIds.ModelInferenceFailed, $"The model '{_model.Name}' gave no usable vector for the representative image of '{asset.Path}' (not finite or of zero length).", asset.Path, ErrorKind.InvalidData));
        }

        foreach (var group in batch.Frames.Select((f, i) => (Frame: f, Vector: vectors[i])).Where(x => !failedAssets.Contains(x.Frame.Asset)).GroupBy(x => x.Frame.Store))
            group.Key.Append(group.Select(x => new StoreRow(x.Frame.Key, x.Frame.Stamp, x.Vector!)).ToList());

        foreach (var asset in batch.Frames.Select(f => f.Asset).Distinct(ReferenceEqualityComparer.Instance).Cast<MediaAsset>())
            if (!failedAssets.Contains(asset))
                onDone(new EmbeddingResult(asset, EmbeddingStatus.Embedded, batch.Frames.Count(f => ReferenceEquals(f.Asset, asset))));
    }
}

using System.Collections.Concurrent;
using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Store;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Computes the embedding of each asset's rep with one model and stores it in the library's vector store; assets
/// stream back out as their batch is committed. The work runs on worker threads from the first piped asset on, so
/// indexing overlaps whatever produces the assets upstream.
/// </summary>
[Cmdlet(VerbsCommon.Add, "MediaEmbedding", DefaultParameterSetName = AssetSet, SupportsShouldProcess = true)]
[OutputType(typeof(MediaAsset))]
public sealed class AddMediaEmbeddingCommand : LibraryCmdlet
{
    const string AssetSet = "Asset";
    const string PathSet = "Path";
    const string Activity = "Computing embeddings";

    readonly BlockingCollection<MediaAsset> _input = new();
    readonly BlockingCollection<Action> _output = new();
    Task? _worker;
    EmbeddingIndexer? _indexer;
    IEmbeddingModel? _model;
    bool _received;
    int _queued, _embedded, _current, _failed;

    [Parameter(ParameterSetName = AssetSet, ValueFromPipeline = true)]
    public MediaAsset[]? InputObject { get; set; }

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }


    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = 32;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            var profile = Profile is null ? null : ModelSessions.GetProfile(ResolveProfile(Profile));
            _model = ModelSessions.Get(Model, profile);
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
        }
        WriteVerbose($"Model '{_model!.Name}' ({_model.ModelId}, {_model.Dimension} dimensions).");
        // An asset that never had a rep gets one, as New-MediaRep would make it (and recorded in the catalog).
        _indexer = new EmbeddingIndexer(_model, BatchSize, Force, new RepOptions());
        var indexer = _indexer;
        _worker = Task.Run(() =>
        {
            try
            {
                indexer.Run(_input.GetConsumingEnumerable(StopToken),
                    r => _output.Add(() => Emit(r)),
                    e => _output.Add(() => { _failed++; WriteItemError(e); }),
                    StopToken);
            }
            finally { _output.CompleteAdding(); }
        });
    }

    protected override void ProcessRecord()
    {
        foreach (var asset in InputObject ?? []) Enqueue(asset);
        foreach (var p in Path ?? [])
            foreach (var file in ResolvePaths(p))
                if (FindInCatalog(file) is { } asset) Enqueue(asset);
        Drain(wait: false);
    }

    protected override void EndProcessing()
    {
        // Nothing given at all: the whole catalog. A pipeline that delivered nothing (every file failed upstream, or a
        // filter let none through) means nothing: the failures were reported where they happened, once.
        if (!_received && ParameterSetName == AssetSet && !MyInvocation.ExpectingInput)
        {
            // Nothing piped: the whole catalog of the library.
            var library = ResolveLibrary(Library, StorePath);
            AssetCatalog catalog;
            try { catalog = AssetCatalog.Load(library); }
            catch (MediaTaggerException ex) { ThrowTerminating(ex); return; }
            if (!catalog.Exists) WriteWarning($"The library '{library.Root}' has not been scanned yet; run Get-MediaAsset -Path '{library.Root}' | New-MediaRep first.");
            foreach (var asset in catalog.Assets.OrderBy(a => a.RelativePath, StringComparer.Ordinal)) Enqueue(asset);
        }
        _input.CompleteAdding();
        Drain(wait: true);
        CompleteProgress(ActivityIds.Embeddings, Activity);
        foreach (var r in _indexer!.Repairs)
            WriteWarning(r.Reset
                ? $"-Force: the '{r.Model}' store of '{r.Library}' could not be kept (its meta was lost or it held another model's vectors); it was started again."
                : $"-Force: repaired the '{r.Model}' store of '{r.Library}': kept {r.RowsAfter:N0} rows, dropped {r.Damaged:N0} damaged ones.");
        foreach (var c in _indexer.Compactions)
            WriteVerbose($"Compacted the '{c.Model}' store of '{c.Library}': {c.RowsBefore:N0} rows to {c.RowsAfter:N0} ({c.Superseded:N0} superseded, {c.Removed:N0} of assets no longer catalogued).");
        WriteInformation($"{_embedded:N0} embedded, {_current:N0} already current, {_failed:N0} failed (model {_model!.Name}).", ["MediaTagger", "Embeddings"]);
    }

    protected override void StopProcessing()
    {
        base.StopProcessing();
        _input.CompleteAdding();
    }

    void Enqueue(MediaAsset asset)
    {
        _received = true;
        if (!ShouldProcess(asset.Path, $"Compute the embedding with model '{_model!.Name}'")) return;
        try
        {
            _input.Add(asset);
        }
        catch (InvalidOperationException)
        {
            // Ctrl+C (StopProcessing, on another thread) closed the queue: whatever arrives after that is dropped.
            return;
        }
        _queued++;
    }

    MediaAsset? FindInCatalog(string file)
    {
        if (FileKind.Check(file) is { } notRegular)
        {
            WriteItemError(notRegular.ToItemError());
            return null;
        }
        if (Library is null && LibraryHolding(file) is null)
        {
            WriteItemError(new ItemError(ErrorIds.EmbeddingNotCataloged, $"'{file}' is not in a scanned library. Run Get-MediaAsset -Path <library folder> | New-MediaRep first.", file, ErrorKind.ObjectNotFound));
            return null;
        }
        var library = ResolveLibrary(Library, StorePath, paths: [file]);
        AssetCatalog catalog;
        try { catalog = AssetCatalog.Load(library); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); return null; }
        if (library.Contains(file) && catalog.TryGetByRelativePath(library.RelativePathOf(file), out var asset)) return asset;
        WriteItemError(new ItemError(ErrorIds.EmbeddingNotCataloged,
            $"'{file}' is not in the catalog of '{library.Root}'. Run Get-MediaAsset -Library '{library.Root}' | New-MediaRep first.", file, ErrorKind.ObjectNotFound));
        return null;
    }

    void Emit(EmbeddingResult result)
    {
        if (result.Status == EmbeddingStatus.Embedded) _embedded++;
        else _current++;
        var done = _embedded + _current;
        ReportProgress(ActivityIds.Embeddings, Activity, $"{done:N0} of {_queued:N0} ({_embedded:N0} embedded, {_current:N0} current): {result.Asset.RelativePath}", done, _queued);
        WriteObject(result.Asset);
    }

    /// <summary>Writes what the workers finished (all of it, until they end, when <paramref name="wait"/>); a failed worker ends the command.</summary>
    void Drain(bool wait)
    {
        if (wait)
        {
            foreach (var action in _output.GetConsumingEnumerable()) Run(action);
        }
        else
        {
            while (_output.TryTake(out var action)) Run(action);
            if (_worker is not { IsCompleted: true }) return;
        }
        try
        {
            _worker!.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
        }
        if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
    }

    void Run(Action action)
    {
        if (StopToken.IsCancellationRequested) return;
        action();
    }
}

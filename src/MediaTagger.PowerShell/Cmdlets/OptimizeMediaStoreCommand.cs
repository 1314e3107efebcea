using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Compacts a library's vector stores (drops superseded rows, rows of assets no longer in the catalog, and rows that
/// fail the per-row check), migrates a store of the 0.1 format, and repairs a damaged one keeping its intact rows.
/// </summary>
[Cmdlet(VerbsCommon.Optimize, "MediaStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StoreCompaction))]
public sealed class OptimizeMediaStoreCommand : LibraryCmdlet
{
    const string Activity = "Compacting vector stores";

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Model { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var library = ResolveLibrary(Library, StorePath);
        // Face data (vectors + face log) is one more store, repaired and compacted together (Core/Faces/FaceStore).
        var models = Model ?? [.. MediaQuery.StoreNames(library), .. FaceStore.Exists(library) ? [StoreLocation.FacesModel] : Array.Empty<string>()];
        if (models.Length == 0)
        {
            WriteItemError(new ItemError(ErrorIds.StoreMissing, $"The library '{library.Root}' has no vector store yet; Add-MediaEmbedding -Library '{library.Root}' makes one.", library.Root, ErrorKind.ObjectNotFound));
            return;
        }
        AssetCatalog? catalog = null;
        try { catalog = AssetCatalog.Load(library); }
        catch (MediaTaggerException ex) { WriteItemError(ex.ToItemError()); }
        // Without a readable catalog nothing is dropped for being uncatalogued.
        Func<string, bool>? keep = catalog is { Exists: true } ? id => catalog.FindById(id) is not null : null;
        foreach (var model in models)
        {
            var at = new StoreLocation(library, model);
            if (!ShouldProcess(at.Folder, $"Compact the '{model}' vector store (drop superseded, uncatalogued and damaged rows)")) continue;
            ReportProgress(ActivityIds.StoreMaintenance, Activity, $"{model} in {library.Root}", 0, 0, force: true);
            StoreCompaction? result;
            try
            {
                result = model == StoreLocation.FacesModel ? FaceStore.Optimize(library, keep, StopToken) : EmbeddingStore.Optimize(at, keep, StopToken);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (MediaTaggerException ex)
            {
                WriteItemError(ex.ToItemError());
                continue;
            }
            if (result is null)
            {
                WriteItemError(new ItemError(ErrorIds.StoreMissing, $"The library '{library.Root}' has no '{model}' vector store. {at.IndexCommand} makes one.", at.Folder, ErrorKind.ObjectNotFound));
                continue;
            }
            WriteInformation($"'{model}' store of '{library.Root}': {result.RowsBefore:N0} rows to {result.RowsAfter:N0} " +
                $"({result.Superseded:N0} superseded, {result.Removed:N0} uncatalogued, {result.Damaged:N0} damaged){(result.Migrated ? ", upgraded from the 0.1 format" : "")}.",
                ["MediaTagger", "Store"]);
            if (result.Damaged > 0)
                WriteWarning($"{result.Damaged:N0} damaged rows of the '{model}' store were dropped; {at.IndexCommand} embeds those assets again.");
            if (PassThru) WriteObject(result);
        }
        CompleteProgress(ActivityIds.StoreMaintenance, Activity);
    }
}

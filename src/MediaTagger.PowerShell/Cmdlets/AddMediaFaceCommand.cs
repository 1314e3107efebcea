using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Finds and embeds the faces of each asset (stills at detection size from the original file, videos through their rep
/// frames) into its library's face store. Incremental: unchanged files are skipped; Ctrl+C keeps what finished.
/// </summary>
[Cmdlet(VerbsCommon.Add, "MediaFace", DefaultParameterSetName = AssetSet, SupportsShouldProcess = true)]
[OutputType(typeof(FaceScanResult))]
public sealed class AddMediaFaceCommand : FaceCmdlet
{
    const string AssetSet = "Asset";
    const string Activity = "Finding faces";
    readonly List<MediaAsset> _assets = [];

    [Parameter(ParameterSetName = AssetSet, ValueFromPipeline = true)]
    public MediaAsset[]? InputObject { get; set; }

    /// <summary>Longest side of the picture faces are looked for in.</summary>
    [Parameter]
    [ValidateRange(256, 8192)]
    public int PictureSize { get; set; } = new FaceDetectorOptions().PictureSize;

    [Parameter]
    [ValidateRange(0.05, 0.99)]
    public double MinScore { get; set; } = new FaceDetectorOptions().MinScore;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var asset in InputObject ?? [])
            if (ShouldProcess(asset.Path, "Find and embed faces")) _assets.Add(asset);
    }

    protected override void EndProcessing()
    {
        // Nothing piped at all (not an empty pipeline): the whole catalog of the library.
        if (_assets.Count == 0 && !MyInvocation.ExpectingInput)
        {
            var library = FaceLibraryRoot();
            AssetCatalog catalog;
            try { catalog = AssetCatalog.Load(library); }
            catch (MediaTaggerException ex) { ThrowTerminating(ex); return; }
            if (!catalog.Exists) WriteWarning($"The library '{library.Root}' has not been scanned yet; run Get-MediaAsset -Path '{library.Root}' first.");
            foreach (var asset in catalog.Assets.OrderBy(a => a.RelativePath, StringComparer.Ordinal))
                if (ShouldProcess(asset.Path, "Find and embed faces")) _assets.Add(asset);
        }
        if (_assets.Count == 0) return;
        FaceModels models;
        try { models = FaceSessions.Get(); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); return; }
        var indexer = new FaceIndexer(models, new FaceDetectorOptions { PictureSize = PictureSize, MinScore = (float)MinScore }, Force);
        int done = 0, analyzed = 0, faces = 0, failed = 0;
        RunOnWorkers((post, ct) => Task.Run(() => indexer.Run(_assets,
            r => post(() =>
            {
                done++;
                if (r.Status == FaceScanStatus.Analyzed) analyzed++;
                faces += r.Faces;
                ReportProgress(ActivityIds.Faces, Activity, $"{done:N0} of {_assets.Count:N0} ({faces:N0} faces): {r.Asset.RelativePath}", done, _assets.Count);
                WriteObject(r);
            }),
            e => post(() => { failed++; WriteItemError(e); }),
            ct), ct));
        CompleteProgress(ActivityIds.Faces, Activity);
        WriteInformation($"{analyzed:N0} analysed, {done - analyzed:N0} already current, {failed:N0} failed; {faces:N0} faces.", ["MediaTagger", "Faces"]);
    }
}

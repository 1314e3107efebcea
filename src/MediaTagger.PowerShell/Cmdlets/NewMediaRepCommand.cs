using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Renders (or reuses) the representative JPEG of each asset and emits a MediaRep (the asset with RepPath set).</summary>
[Cmdlet(VerbsCommon.New, "MediaRep", SupportsShouldProcess = true)]
[OutputType(typeof(MediaRep))]
public sealed class NewMediaRepCommand : LibraryCmdlet
{
    const string Activity = "Rendering representative images";

    readonly List<MediaAsset> _assets = [];

    /// <summary>The assets to render; without input (and no pipeline), every asset of the library.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MediaAsset[]? InputObject { get; set; }

    [Parameter]
    [ValidateRange(16, 8192)]
    public int Size { get; set; } = RepOptions.DefaultSize;

    [Parameter]
    [ValidateRange(1, 100)]
    public int FramesPerVideo { get; set; } = 1;

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = RepOptions.DefaultThrottleLimit;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var a in InputObject ?? []) _assets.Add(a);
    }

    protected override void EndProcessing()
    {
        // A pipeline that delivers nothing renders nothing; only a command without input takes the whole library.
        if (InputObject is null && !MyInvocation.ExpectingInput)
        {
            var library = ResolveLibrary(Library, StorePath);
            try
            {
                var catalog = AssetCatalog.Load(library);
                if (!catalog.Exists)
                    ThrowTerminating(new MediaTaggerException(ErrorIds.CatalogMissing,
                        $"The library '{library.Root}' has not been scanned yet; run Get-MediaAsset -Path '{library.Root}' first.", ErrorKind.ObjectNotFound, library.Root));
                _assets.AddRange(catalog.Assets.OrderBy(a => a.RelativePath, StringComparer.Ordinal));
            }
            catch (MediaTaggerException ex)
            {
                ThrowTerminating(ex);
            }
        }
        else if (_assets.Count > 0)
        {
            ResolveLibrary(Library, StorePath, _assets[^1]);
        }
        if (_assets.Count == 0) return;

        var options = new RepOptions { Size = Size, FramesPerVideo = FramesPerVideo, Force = Force, ThrottleLimit = ThrottleLimit };
        var work = Confirmed(options);
        var batch = new RepBatch(options);
        RepBatchResult? result = null;
        try
        {
            RunOnWorkers((post, token) => Task.Run(() =>
            {
                result = batch.Run(work,
                    a => post(() => WriteObject(a)),
                    e => post(() => WriteItemError(e)),
                    p => post(() => ReportProgress(ActivityIds.Reps, Activity,
                        $"{p.Done:N0} of {p.Total:N0}: {p.Rendered:N0} rendered, {p.Reused:N0} up to date, {p.Failed:N0} failed ({p.Rate:N1}/s)",
                        p.Done, p.Total)),
                    token);
            }, CancellationToken.None));
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
        }
        finally
        {
            CompleteProgress(ActivityIds.Reps, Activity);
        }
        if (result is { } r)
            WriteInformation(
                $"{r.Total:N0} assets: {r.Rendered:N0} rendered, {r.Reused:N0} up to date, {r.Failed:N0} failed in {r.Elapsed.TotalSeconds:N1} s"
                + (r.Rendered > 0 ? $" ({r.Rendered / Math.Max(r.Elapsed.TotalSeconds, 0.001):N1} rendered/s)." : "."),
                ["MediaTagger", "Reps"]);
    }

    /// <summary>The assets to hand to the batch: current ones always (they are only emitted), stale ones when ShouldProcess agrees (-WhatIf, -Confirm).</summary>
    List<MediaAsset> Confirmed(RepOptions options)
    {
        var renderer = new RepRenderer(options);
        var list = new List<MediaAsset>(_assets.Count);
        foreach (var a in _assets)
        {
            var current = !Force && renderer.IsCurrent(a, new FileInfo(a.Path));
            if (current || ShouldProcess(a.Path, "Render representative JPEG")) list.Add(a);
        }
        return list;
    }
}

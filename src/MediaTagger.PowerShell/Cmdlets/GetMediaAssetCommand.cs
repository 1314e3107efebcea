using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Scans folders (or takes files) of a library and emits one MediaAsset per image or video, keeping the catalog current.</summary>
[Cmdlet(VerbsCommon.Get, "MediaAsset", DefaultParameterSetName = ScanSet)]
[OutputType(typeof(ScannedAsset), typeof(MediaAsset))]
public sealed class GetMediaAssetCommand : MediaTaggerCmdlet
{
    const string ScanSet = "Scan";
    const string CachedSet = "Cached";
    const string Activity = "Scanning media library";

    readonly List<string> _paths = [];

    [Parameter(ParameterSetName = ScanSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Library { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    [Parameter(ParameterSetName = ScanSet)]
    [SupportsWildcards]
    public string[] Exclude { get; set; } = [];

    [Parameter]
    public MediaType Type { get; set; }

    [Parameter(ParameterSetName = CachedSet, Mandatory = true)]
    public SwitchParameter Cached { get; set; }

    [Parameter(ParameterSetName = ScanSet)]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = ScanSet)]
    public SwitchParameter IncludeRemoved { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var p in Path ?? []) _paths.AddRange(ResolvePaths(p));
    }

    protected override void EndProcessing()
    {
        if (Cached)
        {
            var library = ResolveLibrary(Library ?? (_paths.Count > 0 ? _paths[0] : null), StorePath);
            AssetCatalog catalog;
            try { catalog = AssetCatalog.Load(library); }
            catch (MediaTaggerException ex) { ThrowTerminating(ex); return; }
            if (!catalog.Exists)
                WriteWarning($"The library '{library.Root}' has not been scanned yet; run Get-MediaAsset -Library '{library.Root}' first.");
            foreach (var a in catalog.Assets.OrderBy(a => a.RelativePath, StringComparer.Ordinal))
                if (!MyInvocation.BoundParameters.ContainsKey(nameof(Type)) || a.Type == Type) WriteObject(a);
            return;
        }

        foreach (var (library, paths) in GroupByLibrary())
            Scan(library, paths);
        CompleteProgress(ActivityIds.Scan, Activity);
    }

    /// <summary>
    /// -Library names the root of every path; otherwise each path belongs to the nearest ancestor holding a store,
    /// else a folder is its own root and a file's folder is its root.
    /// </summary>
    IEnumerable<(MediaLibrary, List<string>)> GroupByLibrary()
    {
        if (Library is not null || _paths.Count == 0)
        {
            var library = ResolveLibrary(Library ?? (ModuleState.LastLibrary?.Root ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath), StorePath);
            return [(library, _paths.Count == 0 ? [library.Root] : _paths)];
        }
        return _paths
            .GroupBy(p => MediaLibrary.FindRoot(p) ?? (Directory.Exists(p) ? p : System.IO.Path.GetDirectoryName(p)!), MediaLibrary.PathComparer)
            .Select(g => (ResolveLibrary(g.Key, StorePath), g.ToList()));
    }

    void Scan(MediaLibrary library, List<string> paths)
    {
        var options = new ScanOptions
        {
            Exclude = Exclude,
            IncludeHidden = Force,
            Type = MyInvocation.BoundParameters.ContainsKey(nameof(Type)) ? Type : null,
        };
        ScanResult result;
        try
        {
            result = LibraryScanner.Scan(library, paths, options, WriteItemError,
                p => ReportProgress(ActivityIds.Scan, Activity, $"{p.Folders:N0} folders, {p.Files:N0} media files: {p.CurrentFolder}", 0, 0, force: true),
                StopToken);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
            return;
        }

        foreach (var a in result.Assets) WriteObject(a);
        if (IncludeRemoved) foreach (var a in result.Removed) WriteObject(a);

        foreach (var a in result.Assets.Where(a => a.ScanState is ScanState.New or ScanState.Changed).Take(1000))
            WriteVerbose($"{a.ScanState}: {a.RelativePath}");
        foreach (var a in result.Removed.Take(1000)) WriteVerbose($"Gone: {a.RelativePath}");
        WriteInformation(
            $"{library.Root}: {result.Assets.Count:N0} assets ({result.NewCount:N0} new, {result.ChangedCount:N0} changed, {result.Removed.Count:N0} gone)"
            + (result.CatalogWritten ? "; catalog updated." : "; catalog unchanged."),
            ["MediaTagger", "Scan"]);
    }
}

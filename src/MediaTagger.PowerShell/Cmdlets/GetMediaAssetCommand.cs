using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Scans folders (or takes files) of a library and emits one MediaAsset per image or video, keeping the catalog current.</summary>
[Cmdlet(VerbsCommon.Get, "MediaAsset", DefaultParameterSetName = ScanSet)]
[OutputType(typeof(ScannedAsset), typeof(MediaAsset))]
public sealed class GetMediaAssetCommand : LibraryCmdlet
{
    const string ScanSet = "Scan";
    const string CachedSet = "Cached";
    const string Activity = "Scanning media library";

    readonly List<string> _paths = [];

    [Parameter(ParameterSetName = ScanSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }


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
            var library = ResolveLibrary(Library, StorePath, paths: _paths);
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
    /// -Library names the root of every path. Otherwise each path belongs to the library that holds it (the nearest
    /// enclosing folder with a store), else a folder becomes a new library's root (a file's folder, for a file).
    /// A path that does not exist is one error and decides nothing, so a typo never roots a library.
    /// With no path, the library is found as every command finds it (the current folder's, else the session's last).
    /// </summary>
    IEnumerable<(MediaLibrary, List<string>)> GroupByLibrary()
    {
        if (Library is not null || _paths.Count == 0)
        {
            var library = ResolveLibrary(Library, StorePath);
            return [(library, _paths.Count == 0 ? [library.Root] : _paths)];
        }
        var groups = new List<(MediaLibrary, List<string>)>();
        foreach (var path in _paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                WriteItemError(new ItemError(ErrorIds.ScanPathNotFound, $"'{path}' was not found.", path, ErrorKind.ObjectNotFound));
                continue;
            }
            var library = LibraryHolding(path) is { } holding && StorePath is null
                ? holding
                : ResolveLibrary(Directory.Exists(path) ? path : System.IO.Path.GetDirectoryName(path)!, StorePath);
            var group = groups.FindIndex(g => g.Item1.Equals(library));
            if (group < 0) groups.Add((library, [path]));
            else groups[group].Item2.Add(path);
        }
        return groups;
    }

    void Scan(MediaLibrary library, List<string> paths)
    {
        var options = new ScanOptions
        {
            Exclude = Exclude,
            IncludeHidden = Force,
            Type = MyInvocation.BoundParameters.ContainsKey(nameof(Type)) ? Type : null,
            // Last in its pipeline, nothing can read the catalog while the assets go out, so both can happen at once.
            WriteCatalogInBackground = MyInvocation.PipelinePosition == MyInvocation.PipelineLength,
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

        ModuleState.Remember(library);
        if (result.CatalogCreated)
            // Printed like Write-Host: the one moment a user learns where a library starts and where its data goes.
            WriteInformation(new HostInformationMessage
            {
                Message = $"New library at '{library.Root}'; its catalog, reps and vectors are kept in '{library.StorePath}'. Commands run in or below that folder use it.",
            }, ["PSHOST", "MediaTagger", "Scan"]);
        try
        {
            // One call for the whole list: PowerShell then checks for Ctrl+C and write permission once, not once per asset.
            WriteObject(result.Assets, enumerateCollection: true);
            if (IncludeRemoved) WriteObject(result.Removed, enumerateCollection: true);
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C while the assets went out: a catalog write already under way finishes (it is atomic) before we stop.
            try { result.WaitForCatalog(); } catch (Exception ex) when (ex is OperationCanceledException or MediaTaggerException) { }
            throw;
        }
        try
        {
            result.WaitForCatalog();
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

        foreach (var a in result.NewOrChanged.Take(1000))
            WriteVerbose($"{a.ScanState}: {a.RelativePath}");
        foreach (var a in result.Removed.Take(1000)) WriteVerbose($"Gone: {a.RelativePath}");
        WriteInformation(
            $"{library.Root}: {result.Assets.Count:N0} assets ({result.NewCount:N0} new, {result.ChangedCount:N0} changed, {result.Removed.Count:N0} gone)"
            + (result.CatalogWritten ? "; catalog updated." : "; catalog unchanged."),
            ["MediaTagger", "Scan"]);
    }
}

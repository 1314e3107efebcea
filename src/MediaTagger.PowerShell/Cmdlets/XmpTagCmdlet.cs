using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Xmp;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Input handling shared by the XMP tag cmdlets: media files arrive as MediaAsset/MediaMatch objects, Get-ChildItem
/// items or plain paths; folders are skipped (Get-ChildItem -Recurse pipes them too) and sidecars themselves refused.
/// </summary>
public abstract class XmpTagCmdlet : MediaTaggerCmdlet
{
    protected const string PathSet = "Path";
    protected const string AssetSet = "Asset";

    readonly Dictionary<string, string> _journalByFolder = new(MediaLibrary.PathComparer);
    string? _libraryJournal;

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    // The commands' default set: PowerShell binds a piped object in the default set first, and there an asset
    // must arrive whole (with Approved and its library), not as its Path property bound by name.
    [Parameter(ParameterSetName = AssetSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MediaAsset? InputObject { get; set; }

    /// <summary>Called for every media file of the current record.</summary>
    protected abstract void OnInput(string mediaPath, MediaAsset? asset);

    protected override void ProcessRecord()
    {
        if (InputObject is { } asset && Check(asset.Path)) OnInput(asset.Path, asset);
        foreach (var p in Path ?? [])
            foreach (var resolved in ResolvePaths(p))
                if (Check(resolved)) OnInput(resolved, null);
    }

    bool Check(string path)
    {
        if (Directory.Exists(path)) return false;
        if (!File.Exists(path))
        {
            WriteItemError(new ItemError(ErrorIds.XmpFileNotFound, $"The media file '{path}' does not exist.", path, ErrorKind.ObjectNotFound));
            return false;
        }
        if (FileKind.Check(path) is { } notRegular)
        {
            // Reading its metadata would block in open() for ever.
            WriteItemError(notRegular.ToItemError());
            return false;
        }
        if (System.IO.Path.GetExtension(path).Equals(".xmp", StringComparison.OrdinalIgnoreCase))
        {
            WriteItemError(new ItemError(ErrorIds.XmpNotMediaFile, $"'{path}' is a sidecar; pass the media file it belongs to.", path, ErrorKind.InvalidArgument));
            return false;
        }
        return true;
    }

    /// <summary>
    /// The journal a write to <paramref name="mediaPath"/>'s sidecar goes to: the -Library's, else the store of the piped
    /// asset, else the store of the nearest enclosing library, else the per-user journal (files outside any library).
    /// </summary>
    protected string JournalFor(string mediaPath, MediaAsset? asset, string? library, string? storePath)
    {
        if (library is not null)
            return _libraryJournal ??= TagJournal.PathForStore(ResolveLibrary(library, storePath).StorePath);
        if (asset is { StorePath.Length: > 0 }) return TagJournal.PathForStore(asset.StorePath);
        var folder = System.IO.Path.GetDirectoryName(mediaPath)!;
        if (!_journalByFolder.TryGetValue(folder, out var journal))
        {
            var holding = LibraryHolding(folder);
            _journalByFolder[folder] = journal = holding is null ? TagJournal.UserJournalPath : TagJournal.PathForStore(ModuleState.Remember(holding).StorePath);
        }
        return journal;
    }

    /// <summary>
    /// Plans a chunk in parallel, asks ShouldProcess for each change on this thread, writes the approved ones in parallel,
    /// then reports: errors, -PassThru objects and a summary. Chunks bound memory and keep progress moving.
    /// </summary>
    protected void RunBatch(List<TagBatchItem> items, Func<TagBatchItem, Action<string>, TagEditRequest> buildRequest,
        Func<TagEditPlan, string> describe, bool passThru, string activity)
    {
        const int ChunkSize = 256;
        int written = 0, unchanged = 0, failed = 0, done = 0;
        using var journals = new TagJournalSet();
        try
        {
            foreach (var chunk in items.Chunk(ChunkSize))
            {
                ReportProgress(ActivityIds.Tags, activity, $"{done:N0} of {items.Count:N0} sidecars", done, items.Count, force: done == 0);
                TagBatch.Plan(chunk, buildRequest, StopToken);
                var approved = new List<TagBatchItem>();
                foreach (var item in chunk)
                {
                    foreach (var w in item.Warnings) WriteWarning(w);
                    if (item.Error is not null || item.Plan is null) continue;
                    if (!item.Plan.HasChanges) WriteVerbose($"{item.Sidecar}: nothing to change.");
                    else if (ShouldProcess(item.Sidecar, describe(item.Plan))) approved.Add(item);
                }
                TagBatch.Commit(approved, journals, StopToken);
                foreach (var item in chunk)
                {
                    done++;
                    if (item.Error is not null)
                    {
                        failed++;
                        WriteItemError(item.Error);
                        continue;
                    }
                    if (item.Entry is not null) written++;
                    else if (item.Plan is { HasChanges: false }) unchanged++;
                    else continue;   // declined (-WhatIf, -Confirm "No")
                    if (passThru)
                        foreach (var t in item.Targets)
                            WriteObject(new XmpTagInfo
                            {
                                Path = t.MediaPath,
                                Sidecar = item.Sidecar,
                                Tags = [.. item.Plan!.TagsAfter],
                                SidecarTags = [.. item.Plan.TagsAfter],
                                Added = [.. item.Entry?.Added ?? []],
                                Removed = [.. item.Entry?.Removed ?? []],
                            });
                }
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            if (journals.Paths.Count > 0) TagSession.LastJournals = journals.Paths.ToList();
        }
        CompleteProgress(ActivityIds.Tags, activity);
        WriteInformation($"{written:N0} sidecars written, {unchanged:N0} already up to date, {failed:N0} failed.", ["MediaTagger", "Tags"]);
    }
}

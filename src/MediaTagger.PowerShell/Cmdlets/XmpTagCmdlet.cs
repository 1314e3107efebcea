using System.Collections;
using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;
using MediaTagger.Core.Xmp;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Input handling shared by the XMP tag cmdlets: media files arrive as MediaAsset/MediaMatch objects, Get-ChildItem
/// items or plain paths; a sidecar stands for its media file, folders need -Recurse, other files are errors.
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

    // The commands' default set: every piped object binds here whole, so the path AND the review decision it carries
    // are seen whatever its type: MediaTagger objects, their Export-Clixml round trip, Import-Csv rows, hashtables,
    // files and strings (by-property-name binding would drop the decision and cannot read hashtables).
    [Parameter(ParameterSetName = AssetSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Tags every photo and video below a folder given as -Path (without it, a folder is an error).</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter Recurse { get; set; }

    readonly HashSet<string> _seen = new(MediaLibrary.PathComparer);
    readonly List<string> _unresolvedSidecars = [];
    int _pipedFolders;

    /// <summary>Called once for every media file of the input, with the review decision its object carried (null: none).</summary>
    protected abstract void OnInput(string mediaPath, MediaAsset? asset, bool? approved);

    /// <summary>Called after the input ended and its skips were reported.</summary>
    protected virtual void OnEnd() { }

    static readonly string[] PathNames = ["Path", "FullName", "LiteralPath", "PSPath"];

    protected override void ProcessRecord()
    {
        if (InputObject is { } input)
        {
            var (path, asset, approved) = Read(input);
            if (path is null)
                WriteItemError(new ItemError(ErrorIds.XmpFileNotFound, $"The piped object ({input.BaseObject.GetType().Name}) has no Path or FullName: nothing to tag.", input.BaseObject, ErrorKind.InvalidArgument));
            else if (asset is not null || input.BaseObject is FileSystemInfo) Accept(asset?.Path ?? path, asset, approved);
            else foreach (var resolved in input.BaseObject is string ? ResolvePaths(path) : [ResolvePath(path)]) Accept(resolved, null, approved);
        }
        foreach (var p in Path ?? [])
            foreach (var resolved in ResolvePaths(p))
                Accept(resolved, null, null);
    }

    /// <summary>The path a piped object names and the review decision it carries (an Approved property, column or key).</summary>
    static (string? Path, MediaAsset? Asset, bool? Approved) Read(PSObject input)
    {
        switch (input.BaseObject)
        {
            case MediaAsset a: return (a.Path, a, (a as IReviewed)?.Approved);
            case string s: return (s, null, null);
            case FileSystemInfo f: return (f.FullName, null, null);
            case IDictionary d:
                object? Key(string name) => d.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), name, StringComparison.OrdinalIgnoreCase)) is { } k ? d[k] : null;
                return (PathNames.Select(Key).FirstOrDefault(v => v is not null)?.ToString(), null, Decision(Key("Approved")));
        }
        var path = PathNames.Select(n => input.Properties[n]?.Value).FirstOrDefault(v => v is not null);
        return (path?.ToString(), null, Decision(input.Properties["Approved"]?.Value));
    }

    /// <summary>A decision however it travelled: $true/$false, "True"/"False" (Import-Csv), 1/0; null when there is none.</summary>
    static bool? Decision(object? value) => value is PSObject ps ? Decision(ps.BaseObject) : value switch
    {
        null => null,
        bool b => b,
        SwitchParameter sw => sw.IsPresent,
        string t when bool.TryParse(t.Trim(), out var b) => b,
        string t when t.Trim() is "0" or "1" => t.Trim() == "1",
        string => null,
        IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture) != 0,
        _ => null,
    };

    protected sealed override void EndProcessing()
    {
        if (_unresolvedSidecars.Count > 0)
            WriteWarning($"{_unresolvedSidecars.Count:N0} sidecar file(s) in the input were skipped: none belongs to exactly one photo or video beside it ({string.Join(", ", _unresolvedSidecars.Take(3).Select(System.IO.Path.GetFileName))}{(_unresolvedSidecars.Count > 3 ? ", …" : "")}). Pass the media files instead.");
        if (_pipedFolders > 0)
            WriteVerbose($"{_pipedFolders:N0} folder(s) in the piped input were skipped (their files come through the pipeline themselves).");
        OnEnd();
    }

    /// <summary>
    /// Sorts one input path: a media file goes on (once per run); a sidecar stands for its one media file; a folder is
    /// an error unless -Recurse (folders piped by Get-ChildItem -Recurse are skipped); anything else is an error.
    /// </summary>
    void Accept(string path, MediaAsset? asset, bool? approved)
    {
        if (Directory.Exists(path))
        {
            if (Recurse)
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden }).Order(StringComparer.Ordinal))
                    if (MediaExtensions.TypeOf(System.IO.Path.GetFileName(file)) is not null) Accept(file, null, approved);
            }
            else if (MyInvocation.ExpectingInput) _pipedFolders++;
            else WriteItemError(new ItemError(ErrorIds.XmpPathIsFolder, $"'{path}' is a folder. Pass its photos and videos (Get-ChildItem -File), or add -Recurse to take every one below it.", path, ErrorKind.InvalidArgument));
            return;
        }
        if (!File.Exists(path))
        {
            WriteItemError(new ItemError(ErrorIds.XmpFileNotFound, $"The media file '{path}' does not exist.", path, ErrorKind.ObjectNotFound));
            return;
        }
        if (FileKind.Check(path) is { } notRegular)
        {
            // Reading its metadata would block in open() for ever.
            WriteItemError(notRegular.ToItemError());
            return;
        }
        var name = System.IO.Path.GetFileName(path);
        if (name.EndsWith(".xmp", StringComparison.OrdinalIgnoreCase))
        {
            if (MediaFileOf(path) is { } media) Accept(media, null, approved);
            else _unresolvedSidecars.Add(path);
            return;
        }
        if (asset is null && MediaExtensions.TypeOf(name) is null)
        {
            WriteItemError(new ItemError(ErrorIds.XmpNotMediaFile, $"'{path}' is not a photo or video MediaTagger knows (by its extension), so it gets no sidecar.", path, ErrorKind.InvalidArgument));
            return;
        }
        if (_seen.Add(path)) OnInput(path, asset, approved);
    }

    /// <summary>The one media file a sidecar belongs to (IMG_1.JPG.xmp → IMG_1.JPG; IMG_1.xmp → the one IMG_1.* photo or video), else null.</summary>
    static string? MediaFileOf(string sidecar)
    {
        var stem = sidecar[..^4];
        if (MediaExtensions.TypeOf(System.IO.Path.GetFileName(stem)) is not null) return File.Exists(stem) ? stem : null;
        var folder = System.IO.Path.GetDirectoryName(sidecar)!;
        var prefix = System.IO.Path.GetFileName(stem) + ".";
        var matches = Directory.EnumerateFiles(folder, prefix + "*")
            .Where(f => System.IO.Path.GetFileName(f) is var n && n.Length > prefix.Length && n.IndexOf('.', prefix.Length) < 0 && MediaExtensions.TypeOf(n) is not null)
            .Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
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
        Func<TagEditPlan, string> describe, bool passThru, string activity, int notApproved = 0)
    {
        const int ChunkSize = 256;
        int written = 0, unchanged = 0, failed = 0, done = 0;
        using var journals = new TagJournalSet();
        try
        {
            // Opening a journal settles the writes a killed run left in it (and removes their temporary files).
            if (!TagSession.IsWhatIf(this))
                foreach (var path in items.SelectMany(i => i.Targets).Select(t => t.JournalPath).Distinct(StringComparer.Ordinal).Where(File.Exists))
                {
                    try
                    {
                        if (TagSession.Describe(journals.Get(path, StopToken)) is { } recovered) WriteWarning(recovered);
                    }
                    catch (MediaTaggerException ex)
                    {
                        WriteItemError(ex.ToItemError());
                    }
                }
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
        WriteInformation($"{written:N0} sidecars written, {unchanged:N0} already up to date, {failed:N0} failed" + (notApproved > 0 ? $", {notApproved:N0} skipped (not approved in review)." : "."), ["MediaTagger", "Tags"]);
    }
}

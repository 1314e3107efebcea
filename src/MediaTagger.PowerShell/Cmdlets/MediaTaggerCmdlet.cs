using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// What every MediaTagger cmdlet shares: resolving paths and libraries, reporting per-item errors with stable ids,
/// throttled progress, Ctrl+C as a cancellation token, and marshalling results of worker threads onto the pipeline thread.
/// </summary>
public abstract class MediaTaggerCmdlet : PSCmdlet
{
    readonly CancellationTokenSource _stop = new();
    readonly Stopwatch _progressClock = Stopwatch.StartNew();

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken StopToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Resolves a user path (relative, ~, PSPath) to a file-system path without requiring it to exist.</summary>
    protected string ResolvePath(string path) => PlainPath(path) ?? SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// A path on the Unix root drive, resolved as PowerShell would resolve it. PowerShell first reads the mount table to
    /// check the drive (about half a millisecond a call, and a warm query takes a few); the result is GetFullPath's.
    /// Null for anything else ("~", drive- or provider-qualified, "\", "//", another drive or provider, Windows): PowerShell's rules.
    /// </summary>
    string? PlainPath(string path)
    {
        if (OperatingSystem.IsWindows() || path.Length == 0 || path[0] == '~' || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\') || path.Contains(':'))
            return null;
        if (path[0] == '/') return Path.GetFullPath(path);
        var here = SessionState.Path.CurrentLocation;
        return OnUnixRootDrive(here) ? Path.GetFullPath(path, here.Path) : null;
    }

    static bool OnUnixRootDrive(PathInfo location) =>
        !OperatingSystem.IsWindows() && location.Provider.ImplementingType == typeof(FileSystemProvider) && location.Drive?.Root == "/";

    /// <summary>Resolves a path that may hold wildcards to every matching file-system path; a literal path is returned as it is.</summary>
    protected IEnumerable<string> ResolvePaths(string path)
    {
        var literal = ResolvePath(path);
        if (!WildcardPattern.ContainsWildcardCharacters(path) || File.Exists(literal) || Directory.Exists(literal)) return [literal];
        try
        {
            return GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException)
        {
            return [literal];
        }
    }

    /// <summary>The PowerShell location (the last file-system one when the location is elsewhere, e.g. Env:).</summary>
    protected string CurrentFolder
    {
        get
        {
            var here = SessionState.Path.CurrentFileSystemLocation;
            return OnUnixRootDrive(here) ? here.Path : here.ProviderPath; // the same path, without the mount-table read
        }
    }

    /// <summary>
    /// The library a command works on, by the one rule of <see cref="LibraryLocator"/>: -Library (with -StorePath), else
    /// the library holding the piped asset, the given paths or the current folder, else the session's last one.
    /// Terminates when there is none: nothing can proceed without it. Never creates anything.
    /// </summary>
    protected MediaLibrary ResolveLibrary(string? library, string? storePath = null, MediaAsset? asset = null, IEnumerable<string>? paths = null)
    {
        try
        {
            return ModuleState.Remember(LibraryLocator.Locate(LibraryQueryFor(library, storePath, asset, paths)));
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
            return null!;
        }
    }

    /// <summary>The same rule without the session fallback or the error: the library that holds <paramref name="path"/>, if any.</summary>
    protected static MediaLibrary? LibraryHolding(string path) => LibraryLocator.Holding(path, ModuleState.KnownLibraries);

    protected LibraryQuery LibraryQueryFor(string? library, string? storePath = null, MediaAsset? asset = null, IEnumerable<string>? paths = null) => new()
    {
        Library = library is null ? null : ResolvePath(library),
        StorePath = storePath is null ? null : ResolvePath(storePath),
        Assets = asset is null ? [] : [asset],
        // -Library decides alone: the paths and the current folder are then never asked, so they are not resolved
        // (each costs PowerShell a read of the mount table, and a warm query takes milliseconds).
        Paths = library is null ? paths?.ToList() ?? [] : [],
        CurrentFolder = library is null ? CurrentFolder : null,
        Known = ModuleState.KnownLibraries,
        Last = ModuleState.LastLibrary,
    };

    /// <summary>A -Profile argument: a path (it ends in .json or names a folder) resolved against the PowerShell location, else a profile name.</summary>
    protected string ResolveProfile(string nameOrPath) =>
        nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.IndexOfAny(['/', '\\']) >= 0 ? ResolvePath(nameOrPath) : nameOrPath;

    protected void WriteItemError(ItemError error) => WriteError(ToErrorRecord(error.ErrorId, error.Message, error.Kind, error.Target, error.Exception));

    protected void ThrowTerminating(MediaTaggerException ex) => ThrowTerminatingError(ToErrorRecord(ex.ErrorId, ex.Message, ex.Kind, ex.Target, ex));

    static ErrorRecord ToErrorRecord(string errorId, string message, ErrorKind kind, object? target, Exception? exception)
    {
        var category = Enum.TryParse<ErrorCategory>(kind.ToString(), out var c) ? c : ErrorCategory.NotSpecified;
        var ex = exception as MediaTaggerException ?? new MediaTaggerException(errorId, message, kind, target, exception);
        return new ErrorRecord(ex, errorId, category, target);
    }

    /// <summary>Writes progress at most four times a second (and always when <paramref name="force"/>), so huge batches do not drown in UI updates.</summary>
    protected void ReportProgress(int activityId, string activity, string status, int done, int total, bool force = false)
    {
        if (!force && _progressClock.ElapsedMilliseconds < 250) return;
        _progressClock.Restart();
        var record = new ProgressRecord(activityId, activity, status);
        if (total > 0) record.PercentComplete = Math.Clamp((int)(100L * done / total), 0, 100);
        WriteProgress(record);
    }

    protected void CompleteProgress(int activityId, string activity) =>
        WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });

    /// <summary>
    /// Runs <paramref name="work"/> on worker threads while this (pipeline) thread writes what it posts:
    /// PowerShell allows WriteObject/WriteError/WriteProgress only from the pipeline thread.
    /// Ctrl+C cancels <see cref="StopToken"/>; the work is awaited before this returns, so nothing runs on after the cmdlet.
    /// </summary>
    protected void RunOnWorkers(Func<Action<Action>, CancellationToken, Task> work)
    {
        using var queue = new BlockingCollection<Action>();
        var task = Task.Run(async () =>
        {
            try { await work(queue.Add, StopToken).ConfigureAwait(false); }
            finally { queue.CompleteAdding(); }
        });
        foreach (var action in queue.GetConsumingEnumerable())
        {
            // Once stopping, PowerShell throws from Write*; keep draining so the workers never block on a full queue.
            if (StopToken.IsCancellationRequested) continue;
            try { action(); }
            catch (PipelineStoppedException) { _stop.Cancel(); }
        }
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
    }

    // Example images (anchors) as users give them: shared by Find-SimilarMedia and New-MediaSubject.

    /// <summary>The object behind a PSObject wrapper.</summary>
    protected static object Unwrap(object o) => o is PSObject ps ? ps.BaseObject : o;

    /// <summary>Where the anchors given by path lie: a library that holds them is the one to search.</summary>
    protected IEnumerable<string> AnchorPaths(IEnumerable<object> inputs) => inputs.Select(Unwrap).Select(i => i switch
    {
        FileSystemInfo f => f.FullName,
        string text => ResolvePath(text),
        _ => null,
    }).OfType<string>();

    /// <summary>Paths (relative, ~, wildcards), Get-ChildItem items, MediaAsset/MediaMatch objects and asset ids.</summary>
    /// <param name="wholeVideo">A video match stands for every frame of the video, not only the frame that matched.</param>
    protected List<Core.Search.Anchor> ToAnchors(IEnumerable<object> inputs, MediaLibrary library, bool wholeVideo = false)
    {
        var anchors = new List<Core.Search.Anchor>();
        foreach (var input in inputs.Select(Unwrap))
        {
            switch (input)
            {
                case MediaAsset asset:
                    anchors.Add(Core.Search.Anchor.ForAsset(asset, wholeVideo));
                    break;
                case DirectoryInfo folder:
                    AddFolder(anchors, folder.FullName, library);
                    break;
                case FileSystemInfo file:
                    anchors.Add(Core.Search.Anchor.Parse(file.FullName, file.FullName, library));
                    break;
                default:
                    var text = input?.ToString() ?? "";
                    var paths = ResolvePaths(text).ToList();
                    if (WildcardPattern.ContainsWildcardCharacters(text) && paths.All(p => !File.Exists(p) && !Directory.Exists(p)))
                    {
                        WriteItemError(new ItemError(ErrorIds.SearchAnchorNotFound, $"No file matches the anchor '{text}'.", text, ErrorKind.ObjectNotFound));
                        break;
                    }
                    foreach (var path in paths)
                    {
                        if (Directory.Exists(path)) AddFolder(anchors, path, library);
                        else anchors.Add(Core.Search.Anchor.Parse(text, path, library));
                    }
                    break;
            }
        }
        return anchors;
    }

    /// <summary>A folder given as an anchor stands for the photos and videos directly in it, each an anchor of its own.</summary>
    void AddFolder(List<Core.Search.Anchor> anchors, string folder, MediaLibrary library)
    {
        var files = Directory.EnumerateFiles(folder).Where(f => MediaExtensions.TypeOf(System.IO.Path.GetFileName(f)) is not null).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            WriteItemError(new ItemError(ErrorIds.SearchAnchorNotFound, $"The anchor folder '{folder}' holds no photos or videos (only the files directly in it are used).", folder, ErrorKind.ObjectNotFound));
            return;
        }
        WriteVerbose($"Anchor folder '{folder}': {files.Count} files.");
        foreach (var file in files) anchors.Add(Core.Search.Anchor.Parse(file, file, library));
    }
}

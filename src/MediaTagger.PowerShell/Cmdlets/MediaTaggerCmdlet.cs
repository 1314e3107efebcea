using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
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
    protected string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

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

    /// <summary>
    /// The library a command works on: -Library when given (with -StorePath), else the one the piped asset belongs to,
    /// else the one used last in this session. Terminates when there is none: nothing can proceed without it.
    /// </summary>
    protected MediaLibrary ResolveLibrary(string? library, string? storePath = null, MediaAsset? asset = null)
    {
        if (!string.IsNullOrEmpty(library))
        {
            var root = ResolvePath(library);
            if (!Directory.Exists(root))
                ThrowTerminating(new MediaTaggerException(ErrorIds.LibraryNotFound, $"The library folder '{root}' does not exist.", ErrorKind.ObjectNotFound, root));
            return ModuleState.OpenLibrary(root, storePath is null ? null : ResolvePath(storePath));
        }
        if (asset is not null && !string.IsNullOrEmpty(asset.LibraryRoot))
            return ModuleState.LastLibrary = MediaLibrary.Open(asset.LibraryRoot, asset.StorePath);
        if (ModuleState.LastLibrary is { } last) return last;
        ThrowTerminating(new MediaTaggerException(ErrorIds.LibraryNotSpecified,
            "No library given and none used yet in this session. Pass -Library <folder> (the folder that holds your photos).",
            ErrorKind.InvalidArgument));
        return null!;
    }

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
}

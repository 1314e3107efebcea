using System.Diagnostics;
using System.Collections.Concurrent;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Library;

/// <summary>
/// Walks folders of a library, recognises media by extension and reconciles what it finds with the catalog:
/// unchanged assets keep their record (and every later stage's state), new ones get an id, vanished ones are dropped.
/// A folder or file that cannot be read becomes one <see cref="ItemError"/> and the walk goes on.
/// </summary>
public sealed class LibraryScanner
{
    readonly MediaLibrary _library;
    readonly ScanOptions _options;
    readonly Action<ItemError> _onError;
    readonly Action<ScanProgress>? _onProgress;
    readonly CancellationToken _cancel;
    readonly List<Glob> _exclude;
    readonly Stopwatch _progressClock = Stopwatch.StartNew();
    readonly HashSet<string> _walkedTargets = new(MediaLibrary.PathComparer);
    int _folders, _files;  // updated by every walker thread

    LibraryScanner(MediaLibrary library, ScanOptions options, Action<ItemError> onError, Action<ScanProgress>? onProgress, CancellationToken cancel)
    {
        _library = library;
        _options = options;
        _onError = onError;
        _onProgress = onProgress;
        _cancel = cancel;
        _exclude = options.Exclude.Select(p => new Glob(p)).ToList();
    }

    /// <summary>
    /// Scans <paramref name="paths"/> (folders walked recursively, files taken as they are) inside <paramref name="library"/>
    /// and updates its catalog. Cancellation throws <see cref="OperationCanceledException"/> and leaves the catalog as it was.
    /// </summary>
    public static ScanResult Scan(MediaLibrary library, IEnumerable<string> paths, ScanOptions options, Action<ItemError> onError,
        Action<ScanProgress>? onProgress = null, CancellationToken cancellationToken = default)
    {
        var scanner = new LibraryScanner(library, options, onError, onProgress, cancellationToken);
        return scanner.Run(paths);
    }

    /// <summary>
    /// A media file the walk saw: its catalog facts (the catalog's own record when unchanged) and how they compare with
    /// the catalog. Workers compare each file as they find it, so that work and the id hashing of new files spread over
    /// the walking threads. The <see cref="ScannedAsset"/> a caller sees is made only when it is read (<see cref="ScannedAssets"/>).
    /// </summary>
    internal readonly record struct Found(MediaAsset Asset, ScanState State);

    /// <summary>The catalog as it was when the scan started: read-only, shared by the walking threads.</summary>
    AssetCatalog _snapshot = null!;

    ScanResult Run(IEnumerable<string> paths)
    {
        _snapshot = AssetCatalog.Load(_library);
        var found = new List<Found>();
        var targets = 0;
        // Folders we walked completely (their vanished entries are removed) and folders we could not read (theirs are kept).
        var walkedPrefixes = new List<string>();
        var failedPrefixes = new List<string>();

        foreach (var raw in paths)
        {
            _cancel.ThrowIfCancellationRequested();
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(raw));
            var isRoot = MediaLibrary.PathComparer.Equals(full, _library.Root);
            if (!isRoot && !_library.Contains(full))
            {
                _onError(new ItemError(ErrorIds.ScanOutsideLibrary, $"'{full}' is not inside the library '{_library.Root}'. Use -Library to name the library that holds it.", full, ErrorKind.InvalidArgument));
                continue;
            }
            var rel = isRoot ? "" : _library.RelativePathOf(full);
            if (Directory.Exists(full))
            {
                if (!isRoot && IsSkipped(rel, isDirectory: true)) continue;
                targets++;
                WalkTree(full, rel, found, failedPrefixes);
                walkedPrefixes.Add(rel);
            }
            else if (File.Exists(full))
            {
                var name = Path.GetFileName(full);
                var type = MediaExtensions.TypeOf(name);
                // Piped listings (Get-ChildItem -Recurse) carry every kind of file: skip non-media quietly, as the walk does.
                if (type is null) continue;
                if (IsSkipped(rel, isDirectory: false)) continue;
                if (FileKind.Check(full) is { } notRegular)
                {
                    _onError(notRegular.ToItemError());
                    continue;
                }
                var info = new FileInfo(full);
                targets++;
                found.Add(Compare(Path.GetDirectoryName(full)!, name, rel, type.Value, info.Length, info.LastWriteTimeUtc));
            }
            else
            {
                _onError(new ItemError(ErrorIds.ScanPathNotFound, $"'{full}' does not exist.", full, ErrorKind.ObjectNotFound));
            }
        }
        ReportProgress("", force: true);
        if (targets > 1)
        {
            // Overlapping paths (a folder and a file or folder inside it) find some files twice: report each once.
            var seen = new HashSet<string>(found.Count, MediaLibrary.PathComparer);
            found.RemoveAll(f => !seen.Add(f.Asset.RelativePath));
        }
        return Reconcile(found, walkedPrefixes, failedPrefixes);
    }

    /// <summary>True when a path given directly lies in the store or a folder the walk would skip.</summary>
    bool IsSkipped(string relativePath, bool isDirectory)
    {
        var segments = relativePath.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var seg = segments[i];
            if (seg.Equals(MediaLibrary.StoreFolderName, StringComparison.OrdinalIgnoreCase)) return true;
            var isDir = isDirectory || i < segments.Length - 1;
            if (!_options.IncludeHidden && JunkNames.IsJunk(seg, isDir, 0)) return true;
            if (Glob.AnyMatch(_exclude, seg, string.Join('/', segments, 0, i + 1))) return true;
        }
        return false;
    }

    /// <summary>
    /// Walks a folder tree on one thread per core (stat calls dominate, and they parallelise well even on 2 cores).
    /// The calling thread is one of the workers and the only one that reports errors and progress, because
    /// the callbacks write to the PowerShell pipeline. An idle worker sleeps on the queue's monitor rather than spinning:
    /// on a busy machine a spinning thread takes the CPU the working ones need.
    /// </summary>
    void WalkTree(string rootFull, string rootRel, List<Found> found, List<string> failedPrefixes)
    {
        lock (_walkedTargets) _walkedTargets.Add(ResolveReal(rootFull));
        var gate = new object();
        var pending = new Stack<(string Full, string Rel)>();
        pending.Push((rootFull, rootRel));
        var busy = 0;  // folders being read; with an empty stack, zero means the walk is over
        var errors = new ConcurrentQueue<ItemError>();
        var failed = new ConcurrentQueue<string>();
        var results = new ConcurrentQueue<List<Found>>();
        Exception? crash = null;
        using var wake = _cancel.Register(() => { lock (gate) Monitor.PulseAll(gate); });

        // Takes the next folder; false when the walk is over (or stopped). The reporter wakes every 100 ms to pass on errors.
        bool Take(bool reporter, out (string Full, string Rel) next)
        {
            while (true)
            {
                lock (gate)
                {
                    while (true)
                    {
                        if (_cancel.IsCancellationRequested || crash is not null) { next = default; return false; }
                        if (pending.TryPop(out next)) { busy++; return true; }
                        if (busy == 0) { next = default; return false; }
                        if (!Monitor.Wait(gate, reporter ? 100 : Timeout.Infinite)) break;
                    }
                }
                Drain(errors);
            }
        }

        void Work(bool reporter)
        {
            var local = new List<Found>();
            var entries = new List<DirEntry>();
            var subfolders = new List<(string, string)>();
            try
            {
                while (Take(reporter, out var next))
                {
                    subfolders.Clear();
                    try
                    {
                        ReadFolder(next.Full, next.Rel, entries, local, errors, failed, subfolders.Add);
                    }
                    finally
                    {
                        lock (gate)
                        {
                            foreach (var sub in subfolders) pending.Push(sub);
                            busy--;
                            if (subfolders.Count > 0 || busy == 0) Monitor.PulseAll(gate);
                        }
                    }
                    if (reporter)
                    {
                        Drain(errors);
                        ReportProgress(next.Full);
                    }
                }
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref crash, ex, null);
                lock (gate) Monitor.PulseAll(gate);
            }
            results.Enqueue(local);
        }

        var helpers = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 4) - 1)
            .Select(_ => Task.Factory.StartNew(() => Work(reporter: false), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        Work(reporter: true);
        Task.WaitAll(helpers);
        Drain(errors);
        if (crash is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(crash);
        _cancel.ThrowIfCancellationRequested();
        failedPrefixes.AddRange(failed);
        foreach (var list in results) found.AddRange(list);
    }

    void Drain(ConcurrentQueue<ItemError> errors)
    {
        while (errors.TryDequeue(out var e)) _onError(e);
    }

    // Optimised from the first call: a user's first scan of a large library would otherwise run these loops as
    // unoptimised tier-0 code until the runtime recompiles them.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void ReadFolder(string dir, string dirRel, List<DirEntry> entries, List<Found> found, ConcurrentQueue<ItemError> errors,
        ConcurrentQueue<string> failedPrefixes, Action<(string, string)> descend)
    {
        Interlocked.Increment(ref _folders);
        var files = 0;
        entries.Clear();
        try
        {
            DirectoryReader.Read(dir, entries);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or System.Security.SecurityException)
        {
            failedPrefixes.Enqueue(dirRel);
            var (id, kind) = ex switch
            {
                UnauthorizedAccessException or System.Security.SecurityException => (ErrorIds.ScanAccessDenied, ErrorKind.PermissionDenied),
                PathTooLongException => (ErrorIds.ScanPathTooLong, ErrorKind.InvalidData),
                _ => (ErrorIds.ScanIOError, ErrorKind.ReadError),
            };
            errors.Enqueue(new ItemError(id, $"Cannot read folder '{dir}': {ex.Message}", dir, kind, ex));
            // Entries read before the failure are still real; keep them.
        }

        foreach (var e in entries)
        {
            if (e.Name.Equals(MediaLibrary.StoreFolderName, StringComparison.OrdinalIgnoreCase)) continue;
            if (!_options.IncludeHidden && JunkNames.IsJunk(e.Name, e.IsDirectory, e.Attributes)) continue;
            var rel = dirRel.Length == 0 ? e.Name : string.Concat(dirRel, "/", e.Name);
            if (_exclude.Count > 0 && Glob.AnyMatch(_exclude, e.Name, rel)) continue;
            var badName = e.Name.Contains('\uFFFD');

            if (e.IsDirectory)
            {
                var full = Path.Join(dir, e.Name);
                if (badName)
                {
                    failedPrefixes.Enqueue(rel);
                    errors.Enqueue(new ItemError(ErrorIds.ScanInvalidName, $"The folder name in '{full}' is not valid text (UTF-8); rename it to scan what it holds.", full, ErrorKind.InvalidData));
                    continue;
                }
                if (e.IsLink && !FollowLink(full, rel, failedPrefixes, errors)) continue;
                descend((full, rel));
                continue;
            }

            if (e.Type is null) continue;
            if (badName)
            {
                var full = Path.Join(dir, e.Name);
                errors.Enqueue(new ItemError(ErrorIds.ScanInvalidName, $"The file name '{full}' is not valid text (UTF-8); rename it so it can be read.", full, ErrorKind.InvalidData));
                continue;
            }
            var length = e.Length;
            var time = e.LastWriteTimeUtc;
            if (e.IsLink)
            {
                var full = Path.Join(dir, e.Name);
                // A link's own entry describes the link; the photo is its target (FileInfo.Exists is true for a dangling link).
                FileSystemInfo? target;
                try { target = File.ResolveLinkTarget(full, returnFinalTarget: true); }
                catch (IOException ex)
                {
                    // ELOOP: a.jpg -> b.jpg -> a.jpg never reaches a file (a dangling link does not throw).
                    errors.Enqueue(new ItemError(ErrorIds.ScanSymlinkLoop, $"'{full}' is a circular symbolic link (it leads back to itself): {ex.Message}", full, ErrorKind.InvalidData, ex));
                    continue;
                }
                if (target is not FileInfo { Exists: true } file)
                {
                    errors.Enqueue(new ItemError(ErrorIds.ScanBrokenLink, $"'{full}' is a symbolic link to '{new FileInfo(full).LinkTarget}', which does not exist.", full, ErrorKind.ObjectNotFound));
                    continue;
                }
                if (FileKind.Check(full) is { } notRegular)
                {
                    errors.Enqueue(notRegular.ToItemError());
                    continue;
                }
                length = file.Length;
                time = file.LastWriteTimeUtc;
            }
            else if (e.NotRegular is { } kind)
            {
                var full = Path.Join(dir, e.Name);
                errors.Enqueue(FileKind.Error(full, kind).ToItemError());
                continue;
            }
            else if (e.StatError is { } statError)
            {
                var full = Path.Join(dir, e.Name);
                var id = statError is PathTooLongException ? ErrorIds.ScanPathTooLong : ErrorIds.ScanIOError;
                errors.Enqueue(new ItemError(id, $"Cannot read '{full}': {statError.Message}", full, ErrorKind.ReadError, statError));
                continue;
            }
            found.Add(Compare(dir, e.Name, rel, e.Type.Value, length, time));
            files++;
        }
        // Once per folder: a shared counter bumped per file bounces its cache line between the walking cores.
        Interlocked.Add(ref _files, files);
    }

    /// <summary>Decides whether a symlinked folder is walked: not when it is dangling, or leads back to a folder already walked (a loop).</summary>
    bool FollowLink(string full, string rel, ConcurrentQueue<string> failedPrefixes, ConcurrentQueue<ItemError> errors)
    {
        string real;
        try
        {
            real = ResolveReal(full);
        }
        catch (IOException ex)
        {
            // ELOOP: the link chain itself is circular.
            failedPrefixes.Enqueue(rel);
            errors.Enqueue(new ItemError(ErrorIds.ScanSymlinkLoop, $"'{full}' is a circular symbolic link: {ex.Message}", full, ErrorKind.InvalidData, ex));
            return false;
        }
        if (!Directory.Exists(real))
        {
            errors.Enqueue(new ItemError(ErrorIds.ScanBrokenLink, $"'{full}' is a symbolic link to a folder that does not exist.", full, ErrorKind.ObjectNotFound));
            return false;
        }
        var realWithSep = real.EndsWith(Path.DirectorySeparatorChar) ? real : real + Path.DirectorySeparatorChar;
        var fullReal = ResolveReal(Path.GetDirectoryName(full)!) + Path.DirectorySeparatorChar;
        bool firstVisit;
        lock (_walkedTargets) firstVisit = _walkedTargets.Add(real);
        if (fullReal.StartsWith(realWithSep, MediaLibrary.PathComparison) || !firstVisit)
        {
            failedPrefixes.Enqueue(rel);
            errors.Enqueue(new ItemError(ErrorIds.ScanSymlinkLoop, $"'{full}' links to '{real}', which this scan already walks; skipped to avoid a loop.", full, ErrorKind.InvalidData));
            return false;
        }
        return true;
    }

    static string ResolveReal(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is null)
        {
            // Resolve links in the ancestors too, so two spellings of one folder compare equal.
            var parent = info.Parent;
            return parent is null ? info.FullName : Path.Join(ResolveReal(parent.FullName), info.Name);
        }
        var target = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        return Path.TrimEndingDirectorySeparator(ResolveReal(target.FullName));
    }

    void ReportProgress(string folder, bool force = false)
    {
        // The first folder reports at once, so even a short scan shows where it is.
        if (_onProgress is null || (!force && _folders > 1 && _progressClock.ElapsedMilliseconds < 250)) return;
        _progressClock.Restart();
        _onProgress(new ScanProgress(_folders, _files, folder));
    }

    /// <summary>Compares a file with the catalog's record of it: unchanged (size and time as recorded), changed, or new (its id is computed here).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    Found Compare(string folder, string name, string relativePath, MediaType type, long length, DateTime lastWriteTimeUtc)
    {
        if (_snapshot.TryGetByRelativePath(relativePath, out var old))
        {
            return old.Length == length && old.LastWriteTimeUtc == lastWriteTimeUtc
                ? new Found(old, ScanState.Unchanged)
                : new Found(old with { Length = length, LastWriteTimeUtc = lastWriteTimeUtc }, ScanState.Changed);
        }
        return new Found(MediaAsset.Create(_library, Path.Join(folder, name), relativePath, type, length, lastWriteTimeUtc), ScanState.New);
    }

    ScanResult Reconcile(List<Found> found, List<string> walkedPrefixes, List<string> failedPrefixes)
    {
        var snapshot = _snapshot;
        var changes = 0;
        var known = 0;
        foreach (var f in found)
        {
            if (f.State != ScanState.Unchanged) changes++;
            if (f.State != ScanState.New) known++;
        }
        var result = new ScanResult(new ScannedAssets(_options.Type is { } only ? found.FindAll(f => f.Asset.Type == only) : found));
        // Each found file is reported once, so when every catalogued asset was found again none can be gone.
        if (known < snapshot.Count)
        {
            var seen = new HashSet<string>(found.Count, MediaLibrary.PathComparer);
            foreach (var f in found) seen.Add(f.Asset.RelativePath);
            foreach (var a in snapshot.Assets)
            {
                if (seen.Contains(a.RelativePath)) continue;
                if (!walkedPrefixes.Any(p => IsUnder(a.RelativePath, p)) || failedPrefixes.Any(p => IsUnder(a.RelativePath, p))) continue;
                // An excluded entry was not looked at, so it is not gone: -Exclude narrows a run, it never deletes.
                if (IsExcluded(a.RelativePath)) continue;
                result.Removed.Add(new ScannedAsset(a, ScanState.Removed));
            }
        }

        var dirty = result.Removed.Count > 0 || changes > 0;
        // A first scan that found nothing to walk (a mistyped path) must not leave a store behind.
        if (dirty || (!snapshot.Exists && walkedPrefixes.Count > 0))
        {
            _cancel.ThrowIfCancellationRequested();
            void Write() => AssetCatalog.Update(_library, catalog =>
            {
                catalog.EnsureCapacity(snapshot.Count + changes);
                foreach (var f in found)
                    if (f.State != ScanState.Unchanged) catalog.Set(f.Asset);
                foreach (var r in result.Removed) catalog.Remove(r.RelativePath);
                return true;
            }, _cancel);
            if (_options.WriteCatalogInBackground) result.CatalogWrite = Task.Run(Write);
            else Write();
            result.CatalogWritten = true;
            result.CatalogCreated = !snapshot.Exists;
        }
        return result;
    }

    /// <summary>True when an -Exclude pattern or the hidden/junk rules would skip <paramref name="relativePath"/> (a catalogued file).</summary>
    bool IsExcluded(string relativePath) => IsSkipped(relativePath, isDirectory: false);

    static bool IsUnder(string relativePath, string prefix) =>
        prefix.Length == 0 || (relativePath.Length > prefix.Length && relativePath[prefix.Length] == '/' && relativePath.StartsWith(prefix, MediaLibrary.PathComparison));
}

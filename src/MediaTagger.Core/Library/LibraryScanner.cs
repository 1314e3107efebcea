using System.Diagnostics;
using System.IO.Enumeration;
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
    int _folders, _files;

    static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

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

    sealed record Found(string FullPath, string RelativePath, MediaType Type, long Length, DateTime LastWriteTimeUtc);

    ScanResult Run(IEnumerable<string> paths)
    {
        var found = new List<Found>();
        var seen = new HashSet<string>(MediaLibrary.PathComparer);
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
                WalkTree(full, rel, found, seen, failedPrefixes);
                walkedPrefixes.Add(rel);
            }
            else if (File.Exists(full))
            {
                var name = Path.GetFileName(full);
                var type = MediaExtensions.TypeOf(name);
                // Piped listings (Get-ChildItem -Recurse) carry every kind of file: skip non-media quietly, as the walk does.
                if (type is null) continue;
                if (IsSkipped(rel, isDirectory: false)) continue;
                var info = new FileInfo(full);
                if (seen.Add(rel)) found.Add(new Found(full, rel, type.Value, info.Length, info.LastWriteTimeUtc));
            }
            else
            {
                _onError(new ItemError(ErrorIds.ScanPathNotFound, $"'{full}' does not exist.", full, ErrorKind.ObjectNotFound));
            }
        }
        ReportProgress("", force: true);
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

    struct Entry
    {
        public string Name;
        public bool IsDirectory;
        public bool IsLink;
        public FileAttributes Attributes;
        public MediaType? Type;
        public long Length;
        public DateTime LastWriteTimeUtc;
        public Exception? StatError;
    }

    void WalkTree(string rootFull, string rootRel, List<Found> found, HashSet<string> seen, List<string> failedPrefixes)
    {
        var stack = new Stack<(string Full, string Rel)>();
        stack.Push((rootFull, rootRel));
        _walkedTargets.Add(ResolveReal(rootFull));
        var entries = new List<Entry>();
        while (stack.Count > 0)
        {
            _cancel.ThrowIfCancellationRequested();
            var (dir, dirRel) = stack.Pop();
            _folders++;
            entries.Clear();
            try
            {
                var enumerable = new FileSystemEnumerable<Entry>(dir, ToEntry, OneLevel);
                foreach (var e in enumerable) entries.Add(e);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or System.Security.SecurityException)
            {
                failedPrefixes.Add(dirRel);
                var (id, kind) = ex switch
                {
                    UnauthorizedAccessException or System.Security.SecurityException => (ErrorIds.ScanAccessDenied, ErrorKind.PermissionDenied),
                    PathTooLongException => (ErrorIds.ScanPathTooLong, ErrorKind.InvalidData),
                    _ => (ErrorIds.ScanIOError, ErrorKind.ReadError),
                };
                _onError(new ItemError(id, $"Cannot read folder '{dir}': {ex.Message}", dir, kind, ex));
                // Entries read before the failure are still real; keep them.
            }

            foreach (var e in entries)
            {
                var full = Path.Join(dir, e.Name);
                var rel = dirRel.Length == 0 ? e.Name : string.Concat(dirRel, "/", e.Name);
                if (e.Name.Equals(MediaLibrary.StoreFolderName, StringComparison.OrdinalIgnoreCase)) continue;
                if (!_options.IncludeHidden && JunkNames.IsJunk(e.Name, e.IsDirectory, e.Attributes)) continue;
                if (_exclude.Count > 0 && Glob.AnyMatch(_exclude, e.Name, rel)) continue;
                var badName = e.Name.Contains('\uFFFD');

                if (e.IsDirectory)
                {
                    if (badName)
                    {
                        failedPrefixes.Add(rel);
                        _onError(new ItemError(ErrorIds.ScanInvalidName, $"The folder name in '{full}' is not valid text (UTF-8); rename it to scan what it holds.", full, ErrorKind.InvalidData));
                        continue;
                    }
                    if (e.IsLink && !FollowLink(full, rel, failedPrefixes)) continue;
                    stack.Push((full, rel));
                    continue;
                }

                if (e.Type is null) continue;
                if (badName)
                {
                    _onError(new ItemError(ErrorIds.ScanInvalidName, $"The file name '{full}' is not valid text (UTF-8); rename it so it can be read.", full, ErrorKind.InvalidData));
                    continue;
                }
                var length = e.Length;
                var time = e.LastWriteTimeUtc;
                var statError = e.StatError;
                if (e.IsLink)
                {
                    // A link's own entry describes the link; the photo is its target (FileInfo.Exists is true for a dangling link).
                    FileSystemInfo? target;
                    try { target = File.ResolveLinkTarget(full, returnFinalTarget: true); }
                    catch (IOException) { target = null; }
                    if (target is not FileInfo { Exists: true })
                    {
                        _onError(new ItemError(ErrorIds.ScanBrokenLink, $"'{full}' is a symbolic link to '{new FileInfo(full).LinkTarget}', which does not exist.", full, ErrorKind.ObjectNotFound));
                        continue;
                    }
                    length = ((FileInfo)target).Length;
                    time = target.LastWriteTimeUtc;
                }
                if (statError is not null)
                {
                    var id = statError is PathTooLongException ? ErrorIds.ScanPathTooLong : ErrorIds.ScanIOError;
                    _onError(new ItemError(id, $"Cannot read '{full}': {statError.Message}", full, ErrorKind.ReadError, statError));
                    continue;
                }
                _files++;
                if (seen.Add(rel)) found.Add(new Found(full, rel, e.Type.Value, length, time));
            }
            ReportProgress(dir);
        }
    }

    /// <summary>Decides whether a symlinked folder is walked: not when it is dangling, or leads back to a folder already walked (a loop).</summary>
    bool FollowLink(string full, string rel, List<string> failedPrefixes)
    {
        string real;
        try
        {
            real = ResolveReal(full);
        }
        catch (IOException ex)
        {
            // ELOOP: the link chain itself is circular.
            failedPrefixes.Add(rel);
            _onError(new ItemError(ErrorIds.ScanSymlinkLoop, $"'{full}' is a circular symbolic link: {ex.Message}", full, ErrorKind.InvalidData, ex));
            return false;
        }
        if (!Directory.Exists(real))
        {
            _onError(new ItemError(ErrorIds.ScanBrokenLink, $"'{full}' is a symbolic link to a folder that does not exist.", full, ErrorKind.ObjectNotFound));
            return false;
        }
        var realWithSep = real.EndsWith(Path.DirectorySeparatorChar) ? real : real + Path.DirectorySeparatorChar;
        var fullReal = ResolveReal(Path.GetDirectoryName(full)!) + Path.DirectorySeparatorChar;
        if (fullReal.StartsWith(realWithSep, MediaLibrary.PathComparison) || !_walkedTargets.Add(real))
        {
            failedPrefixes.Add(rel);
            _onError(new ItemError(ErrorIds.ScanSymlinkLoop, $"'{full}' links to '{real}', which this scan already walks; skipped to avoid a loop.", full, ErrorKind.InvalidData));
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

    static Entry ToEntry(ref FileSystemEntry e)
    {
        var entry = new Entry
        {
            Name = e.FileName.ToString(),
            IsDirectory = e.IsDirectory,
            Attributes = e.Attributes,
            IsLink = (e.Attributes & FileAttributes.ReparsePoint) != 0,
        };
        if (!entry.IsDirectory)
        {
            entry.Type = MediaExtensions.TypeOf(entry.Name);
            // Only media files pay for a stat.
            if (entry.Type is not null && !entry.IsLink)
            {
                try
                {
                    entry.Length = e.Length;
                    entry.LastWriteTimeUtc = e.LastWriteTimeUtc.UtcDateTime;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    entry.StatError = ex;
                }
            }
        }
        return entry;
    }

    void ReportProgress(string folder, bool force = false)
    {
        // The first folder reports at once, so even a short scan shows where it is.
        if (_onProgress is null || (!force && _folders > 1 && _progressClock.ElapsedMilliseconds < 250)) return;
        _progressClock.Restart();
        _onProgress(new ScanProgress(_folders, _files, folder));
    }

    ScanResult Reconcile(List<Found> found, List<string> walkedPrefixes, List<string> failedPrefixes)
    {
        var result = new ScanResult();
        var snapshot = AssetCatalog.Load(_library);
        foreach (var f in found)
        {
            if (snapshot.TryGetByRelativePath(f.RelativePath, out var old))
            {
                // Reuse the record: it carries what later stages know (reps, embeddings).
                if (old.Length == f.Length && old.LastWriteTimeUtc == f.LastWriteTimeUtc)
                {
                    old.ScanState = ScanState.Unchanged;
                    result.Assets.Add(old);
                    continue;
                }
                // A copy, so the cached catalog stays as the file says until the write succeeds.
                var changed = old.Clone();
                changed.Length = f.Length;
                changed.LastWriteTimeUtc = f.LastWriteTimeUtc;
                changed.ScanState = ScanState.Changed;
                result.Assets.Add(changed);
            }
            else
            {
                var asset = MediaAsset.Create(_library, f.FullPath, f.Type, f.Length, f.LastWriteTimeUtc);
                asset.ScanState = ScanState.New;
                result.Assets.Add(asset);
            }
        }
        var seen = new HashSet<string>(found.Select(f => f.RelativePath), MediaLibrary.PathComparer);
        foreach (var a in snapshot.Assets)
        {
            if (seen.Contains(a.RelativePath)) continue;
            if (!walkedPrefixes.Any(p => IsUnder(a.RelativePath, p)) || failedPrefixes.Any(p => IsUnder(a.RelativePath, p))) continue;
            a.ScanState = ScanState.Removed;
            result.Removed.Add(a);
        }

        var dirty = result.Removed.Count > 0 || result.Assets.Any(a => a.ScanState != ScanState.Unchanged);
        if (dirty || !snapshot.Exists)
        {
            _cancel.ThrowIfCancellationRequested();
            AssetCatalog.Update(_library, catalog =>
            {
                foreach (var a in result.Assets)
                {
                    if (a.ScanState == ScanState.Unchanged) continue;
                    catalog.Set(a);
                }
                foreach (var r in result.Removed) catalog.Remove(r.RelativePath);
                return true;
            }, _cancel);
            result.CatalogWritten = true;
        }
        if (_options.Type is { } only) result.Assets.RemoveAll(a => a.Type != only);
        return result;
    }

    static bool IsUnder(string relativePath, string prefix) =>
        prefix.Length == 0 || (relativePath.Length > prefix.Length && relativePath[prefix.Length] == '/' && relativePath.StartsWith(prefix, MediaLibrary.PathComparison));
}

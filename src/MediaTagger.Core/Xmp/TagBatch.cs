using MediaTagger.Core.Common;

namespace MediaTagger.Core.Xmp;

/// <summary>A media file to tag and the journal its writes are recorded in.</summary>
public sealed record TagTarget(string MediaPath, string JournalPath);

/// <summary>One sidecar of a batch: the media files sharing it and, as the batch proceeds, its plan, entry or error.</summary>
public sealed class TagBatchItem
{
    public required string Sidecar { get; init; }
    public required List<TagTarget> Targets { get; init; }
    public TagEditPlan? Plan { get; set; }
    public TagJournalEntry? Entry { get; set; }
    public ItemError? Error { get; set; }
    public List<string> Warnings { get; } = [];
}

/// <summary>
/// Plans and commits sidecar edits in parallel, a chunk at a time, so the caller can ask the user (ShouldProcess)
/// between the two phases on its own thread. Files sharing a sidecar (RAW+JPEG) are one item: one read, one write.
/// </summary>
public static class TagBatch
{
    /// <summary>Disk-bound work (small reads, fsync'd writes): more threads than cores keep the disk busy.</summary>
    static int Parallelism => Math.Clamp(Environment.ProcessorCount * 2, 2, 16);

    /// <summary>Groups targets by the sidecar(s) <paramref name="sidecarsOf"/> names for each, in input order.</summary>
    public static List<TagBatchItem> GroupBySidecar(IEnumerable<TagTarget> targets, Func<string, IEnumerable<string>> sidecarsOf)
    {
        var items = new List<TagBatchItem>();
        var bySidecar = new Dictionary<string, TagBatchItem>(Library.MediaLibrary.PathComparer);
        foreach (var t in targets)
            foreach (var sidecar in sidecarsOf(t.MediaPath))
            {
                if (!bySidecar.TryGetValue(sidecar, out var item))
                {
                    bySidecar[sidecar] = item = new TagBatchItem { Sidecar = sidecar, Targets = [] };
                    items.Add(item);
                }
                if (!item.Targets.Any(x => Library.MediaLibrary.PathComparer.Equals(x.MediaPath, t.MediaPath))) item.Targets.Add(t);
            }
        return items;
    }

    /// <summary>Builds each item's request (reading metadata for automatic tags) and computes its edit; failures become the item's error.</summary>
    public static void Plan(IReadOnlyList<TagBatchItem> items, Func<TagBatchItem, Action<string>, TagEditRequest> buildRequest, CancellationToken cancellationToken)
    {
        Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, item =>
        {
            try
            {
                var request = buildRequest(item, w => { lock (item.Warnings) item.Warnings.Add(w); });
                item.Plan = XmpTagEditor.Plan(request);
            }
            catch (MediaTaggerException ex)
            {
                item.Error = ex.ToItemError() with { Target = ex.Target ?? item.Sidecar };
            }
            catch (Exception ex) when (ex is XmpCore.XmpException or IOException or UnauthorizedAccessException)
            {
                // XmpCore can still refuse a packet it parsed (odd array forms); the sidecar stays as it is.
                item.Error = new ItemError(ErrorIds.XmpSidecarUnsupported, $"The sidecar '{item.Sidecar}' cannot be edited: {ex.Message}. It was left untouched.", item.Sidecar, ErrorKind.InvalidData, ex);
            }
        });
    }

    /// <summary>
    /// Writes every planned item that has changes, write-ahead: each write's journal line is durable (one fsync per
    /// journal for the whole chunk) before any sidecar is replaced. The caller passes only the items the user approved.
    /// </summary>
    public static void Commit(IReadOnlyList<TagBatchItem> items, TagJournalSet journals, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        var writes = new SidecarWrite?[items.Count];
        Parallel.For(0, items.Count, options, i =>
        {
            var item = items[i];
            if (item.Plan is not { HasChanges: true } plan || item.Error is not null) return;
            Guard(item, () =>
            {
                writes[i] = XmpTagEditor.Prepare(ref plan);
                item.Plan = plan;
            });
        });
        var journaled = new List<(TagBatchItem Item, SidecarWrite Write, TagJournal Journal)>();
        foreach (var group in Enumerable.Range(0, items.Count).Where(i => writes[i] is not null).GroupBy(i => items[i].Plan!.Request.JournalPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var members = group.ToList();
            try
            {
                var journal = journals.Get(group.Key, cancellationToken);
                journal.AppendIntents(members.Select(i => writes[i]!.Entry).ToList());
                journaled.AddRange(members.Select(i => (items[i], writes[i]!, journal)));
            }
            catch (MediaTaggerException ex)
            {
                foreach (var i in members) items[i].Error = ex.ToItemError() with { Target = items[i].Sidecar };
            }
        }
        Parallel.ForEach(journaled, options, w => Guard(w.Item, () =>
        {
            w.Write.Apply(w.Journal);
            w.Item.Entry = w.Write.Entry;
        }));
    }

    static void Guard(TagBatchItem item, Action action)
    {
        try
        {
            action();
        }
        catch (MediaTaggerException ex)
        {
            item.Error = ex.ToItemError() with { Target = ex.Target ?? item.Sidecar };
        }
    }
}

/// <summary>The journals a batch appends to, opened on first use and closed (flushed, unlocked) together.</summary>
public sealed class TagJournalSet : IDisposable
{
    readonly Dictionary<string, TagJournal> _open = new(StringComparer.Ordinal);

    public TagJournal Get(string path, CancellationToken cancellationToken = default)
    {
        lock (_open)
        {
            if (_open.TryGetValue(path, out var journal)) return journal;
            try
            {
                return _open[path] = TagJournal.OpenForAppend(path, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MediaTaggerException(ErrorIds.XmpJournalWriteFailed, $"The tag journal '{path}' cannot be opened: {ex.Message}. Nothing was written for this file.", ErrorKind.WriteError, path, ex);
            }
        }
    }

    public IReadOnlyCollection<string> Paths
    {
        get { lock (_open) return _open.Keys.ToList(); }
    }

    public void Dispose()
    {
        lock (_open)
        {
            foreach (var j in _open.Values) j.Dispose();
            _open.Clear();
        }
    }
}

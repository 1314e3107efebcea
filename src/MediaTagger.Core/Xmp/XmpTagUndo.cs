using MediaTagger.Core.Common;

namespace MediaTagger.Core.Xmp;

/// <summary>A journal entry about to be reversed, with the sidecar's content after the reversal (null: delete it).</summary>
public sealed class UndoPlan
{
    public required TagJournalEntry Entry { get; init; }
    public byte[]? Current { get; init; }
    public byte[]? After { get; init; }
    public List<PropertyChange> Changes { get; init; } = [];
}

/// <summary>
/// Reverses journal entries, newest first, but only where the sidecar is still exactly as that entry left it:
/// if someone else changed it since, the entry is reported and skipped, so their work is never undone.
/// </summary>
public sealed class XmpTagUndo
{
    // Sidecars this run already rewrote: hash written now → hash of the state it stands for (an older entry's "after").
    readonly Dictionary<string, (string? Written, string? StandsFor)> _rewritten = new(StringComparer.Ordinal);

    /// <summary>
    /// The writes to reverse, newest first, among those not undone before: written at or after <paramref name="since"/>,
    /// or the last <paramref name="last"/> ones, or (neither given) every write of the most recent run.
    /// </summary>
    public static List<TagJournalEntry> Select(IReadOnlyList<TagJournalEntry> journal, DateTime? since, int? last)
    {
        var undone = journal.Where(e => e.Operation == TagOperation.Undo && e.Undoes is not null).Select(e => e.Undoes!).ToHashSet(StringComparer.Ordinal);
        var list = journal.Where(e => e.Operation != TagOperation.Undo && !undone.Contains(e.Id)).ToList();
        if (since is { } s) list = list.Where(e => e.Time >= s.ToUniversalTime()).ToList();
        else if (last is { } n) list = list.Skip(Math.Max(0, list.Count - n)).ToList();
        else if (list.Count > 0)
        {
            var run = list[^1].Run;
            list = run is null ? [list[^1]] : list.Where(e => e.Run == run).ToList();
        }
        list.Reverse();
        return list;
    }

    /// <exception cref="MediaTaggerException">The sidecar changed since the entry (someone else edited it), or cannot be read.</exception>
    public UndoPlan Plan(TagJournalEntry entry)
    {
        var current = XmpTagEditor.ReadBytes(entry.Sidecar);
        var hash = TagJournal.Hash(current);
        var unchanged = hash == entry.HashAfter
            || (_rewritten.TryGetValue(entry.Sidecar, out var r) && r.Written == hash && r.StandsFor == entry.HashAfter);
        if (!unchanged)
            throw new MediaTaggerException(ErrorIds.XmpUndoConflict,
                $"'{entry.Sidecar}' was changed after the write of {entry.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss} (by another program or a later MediaTagger run not being undone), so that write was not undone. Edit the tags with Remove-MediaXmpTag or Set-MediaXmpTag instead.",
                ErrorKind.InvalidOperation, entry.Sidecar);
        if (current is null) return new UndoPlan { Entry = entry };
        // The write created the sidecar: removing it restores exactly the state before.
        if (entry.HashBefore is null) return new UndoPlan { Entry = entry, Current = current, After = null };
        var sidecar = XmpSidecar.Parse(current, entry.Sidecar);
        var changes = sidecar.Revert(entry.Changes);
        return new UndoPlan { Entry = entry, Current = current, After = changes.Count > 0 ? sidecar.Serialize() : current, Changes = changes };
    }

    /// <summary>Writes (or deletes) the sidecar and journals the undo.</summary>
    public TagJournalEntry Commit(UndoPlan plan, TagJournal journal)
    {
        var e = plan.Entry;
        if (plan.Current is not null && plan.After is null)
        {
            try { File.Delete(e.Sidecar); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MediaTaggerException(ErrorIds.XmpSidecarWriteFailed, $"The sidecar '{e.Sidecar}' cannot be deleted: {ex.Message}", ErrorKind.WriteError, e.Sidecar, ex);
            }
        }
        else if (plan.After is not null && !XmpTagEditor.SameBytes(plan.After, plan.Current))
        {
            XmpTagEditor.Write(e.Sidecar, plan.After);
        }
        var undo = new TagJournalEntry
        {
            Id = TagJournal.NewId(),
            Time = DateTime.UtcNow,
            Operation = TagOperation.Undo,
            File = e.File,
            Files = e.Files,
            Sidecar = e.Sidecar,
            Added = e.Removed,
            Removed = e.Added,
            HashBefore = TagJournal.Hash(plan.Current),
            HashAfter = TagJournal.Hash(plan.After),
            Changes = plan.Changes,
            Undoes = e.Id,
            Journal = journal.Path,
        };
        journal.Append(undo);
        _rewritten[e.Sidecar] = (undo.HashAfter, e.HashBefore);
        return undo;
    }
}

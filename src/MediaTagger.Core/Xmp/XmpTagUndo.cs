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
    // An undo restores the tags exactly (order included) but not always the same bytes (a foreign sidecar is
    // re-serialised): each undo makes its "after" stand for the "before" of the write it reversed, so chains of undos
    // (and later runs) recognise the state.
    readonly Dictionary<string, string> _standsFor = new(StringComparer.Ordinal);

    /// <param name="journal">The journal's entries: the undos in it tell which contents stand for which.</param>
    public XmpTagUndo(IEnumerable<TagJournalEntry> journal)
    {
        var byId = new Dictionary<string, TagJournalEntry>(StringComparer.Ordinal);
        foreach (var e in journal)
        {
            byId[e.Id] = e;
            if (e.Operation == TagOperation.Undo && (e.Outcome ?? TagJournal.OutcomeOf(e)) == WriteOutcome.Written && e.Undoes is { } id && byId.TryGetValue(id, out var reversed))
                Link(e.HashAfter, reversed.HashBefore);
        }
    }

    const string NoFile = "-";

    string Canonical(string? hash)
    {
        var h = hash ?? NoFile;
        while (_standsFor.TryGetValue(h, out var next) && next != h) h = next;
        return h;
    }

    void Link(string? written, string? standsFor)
    {
        var a = Canonical(written);
        var b = Canonical(standsFor);
        if (a != b) _standsFor[a] = b;
    }

    /// <summary>
    /// The writes to reverse, newest first, among those that happened and were not undone before: written at or after
    /// <paramref name="since"/>, or the last <paramref name="last"/> ones, or (neither given) every write of the most recent run.
    /// </summary>
    public static List<TagJournalEntry> Select(IReadOnlyList<TagJournalEntry> journal, DateTime? since, int? last)
    {
        bool Happened(TagJournalEntry e) => (e.Outcome ?? TagJournal.OutcomeOf(e)) != WriteOutcome.NotWritten;
        var undone = journal.Where(e => e.Operation == TagOperation.Undo && e.Undoes is not null && Happened(e)).Select(e => e.Undoes!).ToHashSet(StringComparer.Ordinal);
        var list = journal.Where(e => e.Operation != TagOperation.Undo && !undone.Contains(e.Id) && Happened(e)).ToList();
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
        var current = SidecarFile.Read(entry.Sidecar);
        if (Canonical(TagJournal.Hash(current)) != Canonical(entry.HashAfter))
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

    /// <summary>Journals the undo (durably), then writes or deletes the sidecar.</summary>
    /// <returns>The undo's journal entry.</returns>
    public TagJournalEntry Commit(UndoPlan plan, TagJournal journal)
    {
        var e = plan.Entry;
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
        };
        if (plan.Current is null || XmpTagEditor.SameBytes(plan.After, plan.Current))
        {
            // Nothing on disk changes (the sidecar is gone, or already as before): the undo is recorded as done.
            journal.AppendIntents([undo]);
            journal.Settle(undo, WriteOutcome.Written);
        }
        else
        {
            var write = SidecarWrite.For(undo, plan.After);
            journal.AppendIntents([undo]);
            write.Apply(journal);
        }
        Link(undo.HashAfter, e.HashBefore);
        return undo;
    }
}

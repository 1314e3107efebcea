using MediaTagger.Core.Common;

namespace MediaTagger.Core.Xmp;

/// <summary>Merges tags into (or out of) a sidecar: read, edit the tag properties only, journal, then write atomically.</summary>
public static class XmpTagEditor
{
    /// <summary>Reads the sidecar and computes the edit without writing anything (what -WhatIf shows).</summary>
    /// <exception cref="MediaTaggerException">The sidecar cannot be read or parsed; it is left untouched.</exception>
    public static TagEditPlan Plan(TagEditRequest request) => Plan(request, SidecarFile.Read(request.Sidecar));

    static TagEditPlan Plan(TagEditRequest request, byte[]? before)
    {
        var sidecar = before is null ? XmpSidecar.CreateNew() : XmpSidecar.Parse(before, request.Sidecar);
        var tagsBefore = sidecar.Tags.ToHashSet(StringComparer.Ordinal);
        List<PropertyChange> changes;
        try
        {
            changes = sidecar.Remove(request.Remove);
            // A removed tag takes its provenance with it: provenance about a tag the sidecar no longer has would mislead.
            changes.AddRange(XmpProvenance.Remove(sidecar.Meta, request.Remove));
            changes.AddRange(sidecar.Add(request.Add, request.SubjectLevels));
            changes.AddRange(XmpFaceRegions.Add(sidecar.Meta, request.Regions, request.ImageWidth, request.ImageHeight));
            changes.AddRange(XmpProvenance.Set(sidecar.Meta, request.Provenance));
        }
        catch (MediaTaggerException ex) when (ex.Target is null)
        {
            throw new MediaTaggerException(ex.ErrorId, $"'{request.Sidecar}': {ex.Message}", ex.Kind, request.Sidecar, ex);
        }
        var tagsAfter = sidecar.Tags;
        var after = tagsAfter.ToHashSet(StringComparer.Ordinal);
        return new TagEditPlan
        {
            Request = request,
            Before = before,
            After = changes.Count > 0 ? sidecar.Serialize() : before,
            Changes = changes,
            Added = tagsAfter.Where(t => !tagsBefore.Contains(t)).ToList(),
            Removed = tagsBefore.Where(t => !after.Contains(t)).ToList(),
            TagsAfter = tagsAfter,
        };
    }

    /// <summary>
    /// Turns a plan into a write: when the sidecar changed since it was planned (another program saved it), the edit
    /// is computed again from the new content, so nothing that program wrote is lost. Nothing is written yet.
    /// </summary>
    /// <returns>The write, or null when there is nothing to change.</returns>
    public static SidecarWrite? Prepare(ref TagEditPlan plan)
    {
        var current = SidecarFile.Read(plan.Request.Sidecar);
        if (!SameBytes(current, plan.Before)) plan = Plan(plan.Request, current);
        if (!plan.HasChanges) return null;
        var entry = new TagJournalEntry
        {
            Id = TagJournal.NewId(),
            Time = DateTime.UtcNow,
            Operation = plan.Request.Operation,
            Run = plan.Request.Run,
            File = plan.Request.MediaPaths[0],
            Files = plan.Request.MediaPaths.Count > 1 ? plan.Request.MediaPaths : null,
            Sidecar = plan.Request.Sidecar,
            Added = plan.Added,
            Removed = plan.Removed,
            HashBefore = TagJournal.Hash(plan.Before),
            HashAfter = TagJournal.Hash(plan.After),
            Changes = plan.Changes,
        };
        return SidecarWrite.For(entry, plan.After);
    }

    /// <summary>Journals one plan (durably), then writes it: the single-file form of what <see cref="TagBatch.Commit"/> does.</summary>
    /// <returns>The journal entry, or null when there was nothing to change.</returns>
    public static TagJournalEntry? Commit(TagEditPlan plan, TagJournal journal)
    {
        if (Prepare(ref plan) is not { } write) return null;
        journal.AppendIntents([write.Entry]);
        write.Apply(journal);
        return write.Entry;
    }

    internal static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}

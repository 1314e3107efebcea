using MediaTagger.Core.Common;

namespace MediaTagger.Core.Xmp;

/// <summary>Merges tags into (or out of) a sidecar: read, edit the tag properties only, write atomically, journal.</summary>
public static class XmpTagEditor
{
    /// <summary>Reads the sidecar and computes the edit without writing anything (what -WhatIf shows).</summary>
    /// <exception cref="MediaTaggerException">The sidecar cannot be read or parsed; it is left untouched.</exception>
    public static TagEditPlan Plan(TagEditRequest request) => Plan(request, ReadBytes(request.Sidecar));

    static TagEditPlan Plan(TagEditRequest request, byte[]? before)
    {
        var sidecar = before is null ? XmpSidecar.CreateNew() : XmpSidecar.Parse(before, request.Sidecar);
        var tagsBefore = sidecar.Tags.ToHashSet(StringComparer.Ordinal);
        List<PropertyChange> changes;
        try
        {
            changes = sidecar.Remove(request.Remove);
            changes.AddRange(sidecar.Add(request.Add, request.SubjectLevels));
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
    /// Writes a plan and journals it. When the sidecar changed since it was planned (another program saved it),
    /// the edit is computed again from the new content, so nothing that program wrote is lost.
    /// </summary>
    /// <returns>The journal entry, or null when there was nothing to change.</returns>
    public static TagJournalEntry? Commit(TagEditPlan plan, TagJournal journal)
    {
        var current = ReadBytes(plan.Request.Sidecar);
        if (!SameBytes(current, plan.Before)) plan = Plan(plan.Request, current);
        if (!plan.HasChanges) return null;
        Write(plan.Request.Sidecar, plan.After!);
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
        journal.Append(entry);
        return entry;
    }

    /// <summary>The sidecar's bytes, or null when there is none.</summary>
    public static byte[]? ReadBytes(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.XmpSidecarUnreadable, $"The sidecar '{path}' cannot be read: {ex.Message}", ErrorKind.ReadError, path, ex);
        }
    }

    internal static void Write(string path, byte[] bytes)
    {
        try
        {
            AtomicFile.WriteAllBytes(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.XmpSidecarWriteFailed, $"The sidecar '{path}' cannot be written: {ex.Message}", ErrorKind.WriteError, path, ex);
        }
    }

    internal static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}

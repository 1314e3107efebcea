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

    /// <summary>Sidecars are a few kilobytes (Lightroom's with develop settings some hundreds); anything far larger is not one.</summary>
    const long MaxSidecarBytes = 32 << 20;

    /// <summary>The sidecar's bytes, or null when there is none.</summary>
    public static byte[]? ReadBytes(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            FileKind.ThrowIfNotRegular(path);
            if (info.Length > MaxSidecarBytes)
                throw new MediaTaggerException(ErrorIds.XmpSidecarUnreadable, $"'{path}' is {info.Length / (1 << 20):N0} MB, far too large for an XMP sidecar; it was left untouched.", ErrorKind.InvalidData, path);
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.XmpSidecarUnreadable, $"The sidecar '{path}' cannot be read: {ex.Message}", ErrorKind.ReadError, path, ex);
        }
    }

    /// <summary>
    /// Replaces the sidecar atomically. A sidecar its owner made read-only is refused (the rename would bypass that),
    /// and a replaced one keeps its permissions.
    /// </summary>
    internal static void Write(string path, byte[] bytes)
    {
        try
        {
            var existing = new FileInfo(path);
            UnixFileMode? mode = null;
            if (existing.Exists)
            {
                if (existing.IsReadOnly || (!OperatingSystem.IsWindows() && (existing.UnixFileMode & UnixFileMode.UserWrite) == 0))
                    throw new MediaTaggerException(ErrorIds.XmpSidecarWriteFailed, $"The sidecar '{path}' is read-only; it was left untouched. Make it writable to tag this file.", ErrorKind.PermissionDenied, path);
                if (!OperatingSystem.IsWindows()) mode = existing.UnixFileMode;
            }
            AtomicFile.WriteAllBytes(path, bytes);
            if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, m);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.XmpSidecarWriteFailed, $"The sidecar '{path}' cannot be written: {ex.Message}", ErrorKind.WriteError, path, ex);
        }
    }

    internal static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}

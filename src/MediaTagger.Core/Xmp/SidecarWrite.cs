using MediaTagger.Core.Common;

namespace MediaTagger.Core.Xmp;

/// <summary>
/// One sidecar replacement under the write-ahead protocol: its journal entry, the file replaced (a symbolic link's
/// target) and the new content (null: delete the sidecar). The entry is journaled durably before <see cref="Apply"/>.
/// </summary>
public sealed class SidecarWrite
{
    SidecarWrite(TagJournalEntry entry, string target, byte[]? content)
    {
        Entry = entry;
        Target = target;
        Content = content;
    }

    public TagJournalEntry Entry { get; }

    /// <summary>The file whose content is replaced: the sidecar, or the regular file a sidecar link points to.</summary>
    public string Target { get; }

    public byte[]? Content { get; }

    /// <summary>Names the temporary file in the entry, before anything exists on disk.</summary>
    /// <exception cref="MediaTaggerException">The sidecar is a link that cannot be written through.</exception>
    public static SidecarWrite For(TagJournalEntry entry, byte[]? content)
    {
        if (content is null) return new SidecarWrite(entry, entry.Sidecar, null);
        var target = SidecarFile.WriteTarget(entry.Sidecar);
        entry.Temp = SidecarFile.TempNameFor(target);
        return new SidecarWrite(entry, target, content);
    }

    /// <summary>Replaces (or deletes) the sidecar and settles the entry with what happened.</summary>
    /// <exception cref="MediaTaggerException">The sidecar cannot be written; the entry is settled as not written.</exception>
    public void Apply(TagJournal journal)
    {
        try
        {
            if (Content is null) SidecarFile.Delete(Entry.Sidecar);
            else SidecarFile.Replace(Target, Entry.Temp!, Content);
        }
        catch (MediaTaggerException)
        {
            journal.Settle(Entry, WriteOutcome.NotWritten);
            throw;
        }
        journal.Settle(Entry, WriteOutcome.Written);
    }
}

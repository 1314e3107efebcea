using System.Text.Json.Serialization;

namespace MediaTagger.Core.Xmp;

public enum TagOperation
{
    Set,
    Remove,
    Undo,
}

/// <summary>What became of a write whose journal line was written before the sidecar was replaced.</summary>
public enum WriteOutcome
{
    /// <summary>The sidecar was replaced (or deleted) as the entry describes.</summary>
    Written,
    /// <summary>The write failed or was cut short before the rename: the sidecar is as it was.</summary>
    NotWritten,
    /// <summary>Recovery found the sidecar in neither state (someone changed it since): it cannot be undone.</summary>
    Unknown,
}

/// <summary>One sidecar write, as a line of data/tag-journal.jsonl: enough to show what happened and to reverse it.</summary>
public sealed class TagJournalEntry
{
    public string Id { get; set; } = "";

    /// <summary>When the sidecar was written (UTC).</summary>
    public DateTime Time { get; set; }

    public TagOperation Operation { get; set; }

    /// <summary>Shared by every entry one command wrote, so Undo-MediaXmpTag can reverse "the last run" as a whole.</summary>
    public string? Run { get; set; }

    /// <summary>The media file the sidecar belongs to (the first one, when a RAW+JPEG pair shares it).</summary>
    public string File { get; set; } = "";

    /// <summary>Every media file whose tags went into this write, when there is more than one (RAW+JPEG pairs).</summary>
    public List<string>? Files { get; set; }

    public string Sidecar { get; set; } = "";

    /// <summary>Hierarchical tags the write added.</summary>
    public List<string> Added { get; set; } = [];

    /// <summary>Hierarchical tags the write removed.</summary>
    public List<string> Removed { get; set; } = [];

    /// <summary>SHA-256 (hex) of the sidecar before the write; null when the write created it.</summary>
    public string? HashBefore { get; set; }

    /// <summary>SHA-256 (hex) of the sidecar after the write; null when the write deleted it (undo of a creation).</summary>
    public string? HashAfter { get; set; }

    /// <summary>The items added to and removed from each property: what undo reverses.</summary>
    public List<PropertyChange> Changes { get; set; } = [];

    /// <summary>For an undo, the id of the entry it reversed.</summary>
    public string? Undoes { get; set; }

    /// <summary>
    /// True on entries written before their sidecar is replaced (write-ahead). Entries of earlier versions were written
    /// after the rename and lack it: they are writes that happened.
    /// </summary>
    public bool? Intent { get; set; }

    /// <summary>The temporary file the new content goes through before the rename; recovery deletes it if a crash left it.</summary>
    public string? Temp { get; set; }

    /// <summary>On a settle line: the id of the entry whose outcome it records.</summary>
    public string? Settles { get; set; }

    /// <summary>On a settle line, the outcome; on an entry read back, its outcome (null while still unsettled).</summary>
    public WriteOutcome? Outcome { get; set; }

    /// <summary>The journal file this entry was read from.</summary>
    [JsonIgnore] public string? Journal { get; set; }

    [JsonIgnore] public DateTime LocalTime => Time.ToLocalTime();
}

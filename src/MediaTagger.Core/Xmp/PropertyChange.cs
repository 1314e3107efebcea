namespace MediaTagger.Core.Xmp;

/// <summary>The items one edit added to and removed from one array property ("lr:hierarchicalSubject"); the journal keeps them so undo can reverse exactly these.</summary>
public sealed class PropertyChange
{
    public string Property { get; set; } = "";
    public List<string> Added { get; set; } = [];
    public List<string> Removed { get; set; } = [];

    /// <summary>Where each removed item stood (1-based, ascending, in the array before the edit), so undo puts it back there.</summary>
    public List<int>? RemovedAt { get; set; }
}

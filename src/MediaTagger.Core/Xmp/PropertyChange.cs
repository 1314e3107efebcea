namespace MediaTagger.Core.Xmp;

/// <summary>The items one edit added to and removed from one array property ("lr:hierarchicalSubject"); the journal keeps them so undo can reverse exactly these.</summary>
public sealed class PropertyChange
{
    public string Property { get; set; } = "";
    public List<string> Added { get; set; } = [];
    public List<string> Removed { get; set; } = [];
}

namespace MediaTagger.Core.Library;

public enum MediaType
{
    Image,
    Video,
}

/// <summary>How a scan saw an asset compared with the catalog it had.</summary>
public enum ScanState
{
    Unchanged,
    New,
    Changed,
    Removed,
}

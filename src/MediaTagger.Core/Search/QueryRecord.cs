namespace MediaTagger.Core.Search;

/// <summary>
/// A saved query (<c>data/last_query.json</c>, <c>data/&lt;name&gt;.json</c>): what was asked, with which model
/// and parameters, and the ranked results. Review reads it when nothing is piped in.
/// </summary>
public sealed class QueryRecord
{
    /// <summary>"similar" (anchor images) or "text" (prompts).</summary>
    public string Kind { get; set; } = "similar";
    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
    public string Library { get; set; } = "";
    public string Model { get; set; } = "";
    public List<string> Anchors { get; set; } = [];
    public List<string> NegativeAnchors { get; set; } = [];
    public List<string> Text { get; set; } = [];
    public List<string> NegativeText { get; set; } = [];
    public int K { get; set; }
    public double MinScore { get; set; }
    public string? Profile { get; set; }
    /// <summary>Last, so that <see cref="QueryFiles"/> can serialise its halves apart and join them.</summary>
    public List<QueryResultItem> Results { get; set; } = [];

    /// <summary>A copy of this record with other results (the same lists for everything else).</summary>
    internal QueryRecord WithResults(List<QueryResultItem> results)
    {
        var copy = (QueryRecord)MemberwiseClone();
        copy.Results = results;
        return copy;
    }
}

public sealed class QueryResultItem
{
    public string Id { get; set; } = "";
    public string Path { get; set; } = "";
    public string RelativePath { get; set; } = "";
    public string Type { get; set; } = "";
    public double Score { get; set; }
    public int Rank { get; set; }
    public string? BestAnchor { get; set; }
    public AnchorView? BestAnchorView { get; set; }
    public string? BestPrompt { get; set; }
    public int? BestFrame { get; set; }
    public double? NegativeScore { get; set; }
    public double? Margin { get; set; }
}

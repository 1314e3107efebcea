namespace MediaTagger.Core.Store;

/// <summary>embeddings.meta.json: what the rows are, and (format 2) which generation of data and index files is current.</summary>
public sealed class EmbeddingMeta
{
    public const int CurrentFormat = 2;

    public int FormatVersion { get; set; } = CurrentFormat;
    public string Model { get; set; } = "";
    public string ModelId { get; set; } = "";
    public int Dim { get; set; }

    /// <summary>Format 1 only: rows of embeddings.f32 that belong to the store. Format 2 keeps the count in its index log.</summary>
    public int? Count { get; set; }

    /// <summary>Format 2: the number in the names of the current data and index files; each compaction adds one.</summary>
    public int? Generation { get; set; }

    public string Preprocessing { get; set; } = "";
    public string Dtype { get; set; } = "float32";
    public string ByteOrder { get; set; } = "little";
    public bool Normalized { get; set; } = true;
    public DateTime UpdatedUtc { get; set; }
}

namespace MediaTagger.Core.Store;

/// <summary>embeddings.meta.json: what the rows of embeddings.f32 are.</summary>
public sealed class EmbeddingMeta
{
    public int FormatVersion { get; set; } = 1;
    public string Model { get; set; } = "";
    public string ModelId { get; set; } = "";
    public int Dim { get; set; }

    /// <summary>Rows in embeddings.f32 that belong to the store (a longer file holds an unfinished batch).</summary>
    public int Count { get; set; }

    public string Preprocessing { get; set; } = "";
    public string Dtype { get; set; } = "float32";
    public string ByteOrder { get; set; } = "little";
    public bool Normalized { get; set; } = true;
    public DateTime UpdatedUtc { get; set; }
}

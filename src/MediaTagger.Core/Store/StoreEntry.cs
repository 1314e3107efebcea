namespace MediaTagger.Core.Store;

/// <summary>
/// One live row of a store: its key ("&lt;asset id&gt;" or "&lt;asset id&gt;#&lt;n&gt;", n ≥ 2 for further video frames or
/// sub-items), its row in the data file, the stamp of what it was computed from, and its sum (<see cref="RowCheck.Sum"/>;
/// absent in format 1 stores).
/// </summary>
public readonly record struct StoreEntry(string Key, int Row, string? Stamp, ulong Sum, bool HasSum);

/// <summary>A row to append: its key, the stamp of what it was computed from (compared by <see cref="EmbeddingStore.IsCurrent"/>), and the unit vector.</summary>
public sealed record StoreRow(string Key, string Stamp, float[] Vector);

/// <summary>Raised inside the store when a file breaks the format; the store turns it into one error naming the repair.</summary>
sealed class StoreFormatException(string why) : Exception(why);

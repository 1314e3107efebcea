namespace MediaTagger.Core.Store;

/// <summary>What one compaction (or repair, or migration) of a store did: Optimize-MediaStore's output.</summary>
public sealed record StoreCompaction
{
    public string Library { get; init; } = "";
    public string Model { get; init; } = "";

    /// <summary>Rows in the data file before, superseded ones included.</summary>
    public int RowsBefore { get; init; }

    /// <summary>Rows after: one per live key.</summary>
    public int RowsAfter { get; init; }

    /// <summary>Rows dropped because a later row replaced them (-Force, re-rendered reps) or their key was dropped (fewer video frames).</summary>
    public int Superseded { get; init; }

    /// <summary>Rows dropped because their asset is no longer in the catalog.</summary>
    public int Removed { get; init; }

    /// <summary>Rows dropped because they failed the per-row check or the index entry naming them was damaged.</summary>
    public int Damaged { get; init; }

    /// <summary>True when nothing could be kept (the meta was lost, or the store held another model's vectors): the store starts empty.</summary>
    public bool Reset { get; init; }

    /// <summary>True when the store was in MediaTagger 0.1's format and was upgraded.</summary>
    public bool Migrated { get; init; }

    public long BytesBefore { get; init; }
    public long BytesAfter { get; init; }
    public TimeSpan Duration { get; init; }
}

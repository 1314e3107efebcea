namespace MediaTagger.Core.Store;

/// <summary>
/// Names, sizes and times of a store's files: a loaded copy is current while its stamp equals the folder's, so a
/// query costs one folder listing instead of a reload. Every write changes it (appends grow the data and index files,
/// compaction and migration replace the meta and the files it names).
/// </summary>
public readonly record struct StoreStamp(ulong Value)
{
    public static StoreStamp Read(string folder)
    {
        var h = 1469598103934665603UL;
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("embeddings*").OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                if (file.Name.EndsWith(".lock", StringComparison.Ordinal)) continue;
                h = (h ^ (ulong)StringComparer.Ordinal.GetHashCode(file.Name)) * 1099511628211UL;
                h = (h ^ (ulong)file.Length) * 1099511628211UL;
                h = (h ^ (ulong)file.LastWriteTimeUtc.Ticks) * 1099511628211UL;
            }
        }
        catch (DirectoryNotFoundException) { return default; }
        return new StoreStamp(h);
    }
}

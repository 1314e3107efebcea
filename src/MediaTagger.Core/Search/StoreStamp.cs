using MediaTagger.Core.Store;

namespace MediaTagger.Core.Search;

/// <summary>
/// Size and time of a store's files: a loaded copy is current while its stamp equals the files' stamp,
/// so a query costs three file stats instead of a reload.
/// </summary>
public readonly record struct StoreStamp(long MetaLength, DateTime MetaTime, long IndexLength, DateTime IndexTime, long DataLength, DateTime DataTime)
{
    public static StoreStamp Read(string folder)
    {
        var meta = new FileInfo(Path.Combine(folder, EmbeddingStore.MetaFile));
        var index = new FileInfo(Path.Combine(folder, EmbeddingStore.IndexFile));
        var data = new FileInfo(Path.Combine(folder, EmbeddingStore.F32File));
        return new StoreStamp(
            meta.Exists ? meta.Length : -1, meta.Exists ? meta.LastWriteTimeUtc : default,
            index.Exists ? index.Length : -1, index.Exists ? index.LastWriteTimeUtc : default,
            data.Exists ? data.Length : -1, data.Exists ? data.LastWriteTimeUtc : default);
    }
}

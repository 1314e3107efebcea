using System.Text.RegularExpressions;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Store;

/// <summary>
/// The file names of a vector store folder (data/embeddings/&lt;model&gt;/). Format 2 keeps one generation of data and
/// index at a time, named by its number and chosen by the meta file; compaction writes the next generation beside it
/// and switches by replacing the meta. Format 1 (MediaTagger 0.1) is read until the first write migrates it.
/// </summary>
public static class StoreFiles
{
    public const string MetaFile = "embeddings.meta.json";

    /// <summary>Lock file serialising the writers of one store (an OS lock on embeddings.lock, across processes).</summary>
    public const string LockBase = "embeddings";

    // Format 1 (read, migrated on the first write).
    public const string V1Data = "embeddings.f32";
    public const string V1Index = "embeddings.index.json";
    public const string V1Stamps = "embeddings.stamps.json";

    public static string DataFile(int generation) => $"embeddings.g{generation:D4}.f32";
    public static string IndexFile(int generation) => $"embeddings.g{generation:D4}.index.jsonl";

    static readonly Regex Ours = new(@"^embeddings(\.g\d{4,})?\.(f32|index\.jsonl|index\.json|stamps\.json)$", RegexOptions.CultureInvariant);

    /// <summary>True for the data and index files any MediaTagger version writes (meta, lock and temp files aside).</summary>
    public static bool IsStoreFile(string name) => Ours.IsMatch(name);

    public static string FolderFor(MediaLibrary library, string model) => Path.Combine(library.EmbeddingsRoot, model);
}

/// <summary>Where a store lives and how to tell a user to repair it.</summary>
public sealed record StoreLocation(MediaLibrary Library, string Model)
{
    /// <summary>The store of face vectors (Core/Faces): written by Add-MediaFace, never searched as image embeddings.</summary>
    public const string FacesModel = "faces";

    public string Folder => StoreFiles.FolderFor(Library, Model);

    string Writer => Model == FacesModel ? $"Add-MediaFace {LibraryArgs}" : $"Add-MediaEmbedding {LibraryArgs} -Model {Model}";

    string LibraryArgs => Library.StorePath == MediaLibrary.Open(Library.Root).StorePath
        ? $"-Library '{Library.Root}'"
        : $"-Library '{Library.Root}' -StorePath '{Library.StorePath}'";

    /// <summary>The command that rebuilds the store (re-embeds everything it should hold).</summary>
    public string RebuildCommand => $"{Writer} -Force";

    /// <summary>The command that drops damaged and superseded rows (the next Add-MediaEmbedding embeds what was dropped).</summary>
    public string RepairCommand => $"Optimize-MediaStore {LibraryArgs} -Model {Model}";

    /// <summary>The command that adds what is missing.</summary>
    public string IndexCommand => Writer;
}

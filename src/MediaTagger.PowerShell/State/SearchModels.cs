using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;

namespace MediaTagger.PowerShell.State;

/// <summary>Which model a search uses when none is named, and how it is opened.</summary>
public static class SearchModels
{
    /// <summary>The only model with embeddings in the library; when there are several, the user must choose.</summary>
    public static string DefaultFor(MediaLibrary library, bool text)
    {
        var stores = MediaQuery.StoreNames(library);
        if (stores.Count == 1) return stores[0];
        if (stores.Count == 0)
            throw new MediaTaggerException(ErrorIds.SearchStoreMissing,
                $"The library '{library.Root}' has no embeddings yet. Index it first: Get-MediaAsset -Path '{library.Root}' | New-MediaRep | Add-MediaEmbedding",
                ErrorKind.ObjectNotFound, library.EmbeddingsRoot);
        throw new MediaTaggerException(ErrorIds.SearchStoreMissing,
            $"The library '{library.Root}' has embeddings of several models ({string.Join(", ", stores)}); choose one with -Model.",
            ErrorKind.InvalidArgument, library.EmbeddingsRoot);
    }

    public static IEmbeddingModel Open(string name) =>
        throw new MediaTaggerException(ErrorIds.SearchStoreMissing, $"The model '{name}' cannot be opened yet.", ErrorKind.NotInstalled, name);
}

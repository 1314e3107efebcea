using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;

namespace MediaTagger.PowerShell.State;

/// <summary>Which model's store a search uses, and how its model is opened (once per session, see <see cref="ModelSessions"/>).</summary>
public static class SearchModels
{
    /// <summary>
    /// The store to search: the named model's (its canonical name when installed; a store whose model is no longer
    /// installed can still be searched with anchors that are already in it), else the only model the library has
    /// embeddings of, else the model Add-MediaEmbedding picks by default.
    /// </summary>
    public static string Resolve(MediaLibrary library, string? requested)
    {
        // A store of exactly that name answers without listing the others (a warm query takes a few milliseconds).
        // Only where names are case-sensitive: elsewhere "ResNet18" would find the folder "resnet18" under another name.
        if (requested is not null && MediaLibrary.PathComparison == StringComparison.Ordinal
            && Path.GetFileName(requested) == requested && requested is not ("." or "..") && MediaQuery.HasImageStore(library, requested))
            return requested;
        var stores = MediaQuery.StoreNames(library);
        if (requested is not null)
        {
            if (stores.Contains(requested, StringComparer.Ordinal)) return requested;
            try { return ModelSessions.Registry.ResolveName(requested); }
            catch (MediaTaggerException) { return stores.FirstOrDefault(s => s.Equals(requested, StringComparison.OrdinalIgnoreCase)) ?? requested; }
        }
        return stores.Count == 1 ? stores[0] : ModelSessions.Registry.ResolveName();
    }

    /// <summary>The session's instance of the model (not to be disposed by the caller).</summary>
    public static IEmbeddingModel Open(string name) => ModelSessions.Get(name);
}

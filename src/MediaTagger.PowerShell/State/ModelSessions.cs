using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Store;

namespace MediaTagger.PowerShell.State;

/// <summary>
/// The models and stores of this session, opened once and kept in <see cref="ModuleState"/> (disposed on
/// Remove-Module): every command that embeds images or text (Add-MediaEmbedding, the searches) gets its model here,
/// so the ONNX sessions load once per session and are reloaded when a model is reinstalled.
/// </summary>
public static class ModelSessions
{
    /// <summary>The registry of installed models (the per-user model folder; MEDIATAGGER_HOME overrides it).</summary>
    public static ModelRegistry Registry => new();

    /// <summary>
    /// The model named <paramref name="name"/>, else the profile's, else an installed CLIP model, else the built-in ResNet18; cached.
    /// A model without a text tower throws MediaModelHasNoTextTower (naming Install-MediaTaggerModel) from EmbedText.
    /// </summary>
    /// <exception cref="MediaTaggerException">Not installed, or it does not load.</exception>
    public static IEmbeddingModel Get(string? name = null, MediaProfile? profile = null)
    {
        var registry = Registry;
        var resolved = registry.ResolveName(name, profile);
        return ModuleState.GetOrAdd($"model:{registry.ModelsRoot}:{resolved}", registry.StampOf(resolved), () => registry.Open(resolved));
    }

    /// <summary>Loads a profile by name (or .json path) from the user's and the shipped profiles.</summary>
    public static MediaProfile GetProfile(string nameOrPath) => ModuleProfiles.Store.Get(nameOrPath);

    /// <summary>
    /// The vectors of <paramref name="model"/> for <paramref name="library"/>, read once and kept until the store's meta
    /// changes (another Add-MediaEmbedding run); searches call this instead of reading embeddings.f32 each time.
    /// </summary>
    /// <exception cref="MediaTaggerException">No such store, or it is damaged.</exception>
    public static LoadedStore GetStore(MediaLibrary library, string model)
    {
        var meta = new FileInfo(Path.Combine(EmbeddingStore.FolderFor(library, model), EmbeddingStore.MetaFile));
        if (!meta.Exists)
            throw new MediaTaggerException(ErrorIds.StoreUnreadable,
                $"The library '{library.Root}' has no embeddings of model '{model}' yet. Run Add-MediaEmbedding -Library '{library.Root}' -Model {model} first.",
                ErrorKind.ObjectNotFound, library.Root);
        return ModuleState.GetOrAdd($"store:{library.StorePath}:{model}", $"{meta.Length}:{meta.LastWriteTimeUtc.Ticks}", () =>
        {
            var store = EmbeddingStore.Open(library, model);
            var (keys, vectors) = store.LoadVectors();
            return new LoadedStore(store, keys, vectors);
        });
    }
}

/// <summary>A store with its live vectors in memory: row i of <see cref="Vectors"/> (Dimension floats) belongs to Keys[i].</summary>
public sealed record LoadedStore(EmbeddingStore Store, string[] Keys, float[] Vectors)
{
    public int Dimension => Store.Dimension;
    public ReadOnlySpan<float> Row(int i) => Vectors.AsSpan(i * Dimension, Dimension);
}

using MediaTagger.Core.Common;
using MediaTagger.Core.Models;
using MediaTagger.Core.Profiles;

namespace MediaTagger.PowerShell.State;

/// <summary>
/// The models of this session, opened once and kept in <see cref="ModuleState"/> (disposed on
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
        // The inference settings are part of the stamp: changing MEDIATAGGER_INFERENCE reopens the model with the new ones.
        return ModuleState.GetOrAdd($"model:{registry.ModelsRoot}:{resolved}",
            $"{registry.StampOf(resolved)}|{Environment.GetEnvironmentVariable(InferenceSettings.EnvironmentVariable)}", () => registry.Open(resolved));
    }

    /// <summary>Loads a profile by name (or .json path) from the user's and the shipped profiles.</summary>
    public static MediaProfile GetProfile(string nameOrPath) => ModuleProfiles.Store.Get(nameOrPath);
}

using MediaTagger.Core.Common;
using MediaTagger.Core.Profiles;

namespace MediaTagger.Core.Models;

/// <summary>
/// The installed models (one folder each under the per-user model folder, with a <see cref="ModelManifest"/>) plus
/// the built-in ResNet18, and the rule that picks one when none is named: the profile's model, else an installed CLIP
/// model (the catalog's default first), else the built-in ResNet18. Opening is not cached here: the module caches
/// opened models per session (ModuleState), callers outside it own what they open.
/// </summary>
public sealed class ModelRegistry
{
    public ModelRegistry(string? modelsRoot = null, string? embeddedFolder = null, string? catalogPath = null)
    {
        ModelsRoot = modelsRoot ?? UserPaths.Models;
        EmbeddedFolder = embeddedFolder ?? ResNet18Model.DefaultFolder;
        CatalogPath = catalogPath ?? ModelCatalog.DefaultPath;
    }

    public string ModelsRoot { get; }
    public string EmbeddedFolder { get; }
    public string CatalogPath { get; }

    /// <summary>Installed CLIP models (folders with a manifest), by name.</summary>
    public IReadOnlyList<ModelManifest> Installed()
    {
        if (!Directory.Exists(ModelsRoot)) return [];
        var list = new List<ModelManifest>();
        foreach (var dir in Directory.EnumerateDirectories(ModelsRoot))
        {
            // Hidden folders are staging areas of installs in progress.
            if (Path.GetFileName(dir).StartsWith('.') || ModelManifest.TryLoad(dir) is not { } manifest || manifest.Layout == ModelManifest.FacesLayout) continue;
            manifest.Name = Path.GetFileName(dir);
            list.Add(manifest);
        }
        return list.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// The model to use: <paramref name="requested"/> when given, else the profile's, else an installed CLIP model
    /// (the catalog's default when installed, else the first with a text tower, else the first), else the built-in ResNet18.
    /// </summary>
    public string ResolveName(string? requested = null, MediaProfile? profile = null)
    {
        if (!string.IsNullOrWhiteSpace(requested)) return Canonical(requested);
        if (!string.IsNullOrWhiteSpace(profile?.Model)) return Canonical(profile.Model);
        var installed = Installed();
        if (installed.Count == 0) return ResNet18Model.EmbeddedName;
        string? catalogDefault = null;
        try { catalogDefault = File.Exists(CatalogPath) ? ModelCatalog.Load(CatalogPath).Default?.Name : null; }
        catch (MediaTaggerException) { }
        return (installed.FirstOrDefault(m => string.Equals(m.Name, catalogDefault, StringComparison.OrdinalIgnoreCase))
                ?? installed.FirstOrDefault(m => m.SupportsText)
                ?? installed[0]).Name;
    }

    string Canonical(string name)
    {
        if (string.Equals(name, ResNet18Model.EmbeddedName, StringComparison.OrdinalIgnoreCase)) return ResNet18Model.EmbeddedName;
        var match = Installed().FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        return match?.Name ?? throw NotInstalled(name);
    }

    MediaTaggerException NotInstalled(string name)
    {
        var installed = string.Join(", ", Installed().Select(m => m.Name).Prepend(ResNet18Model.EmbeddedName));
        return new MediaTaggerException(ErrorIds.ModelNotInstalled,
            $"The model '{name}' is not installed (installed: {installed}). Install it with Install-MediaTaggerModel -Name {name}, or Install-MediaTaggerModel -Path <folder> for a model you already have.",
            ErrorKind.NotInstalled, name);
    }

    /// <summary>
    /// Changes whenever the model's files are replaced (reinstall), so a cache keyed by it never serves stale sessions.
    /// </summary>
    public string StampOf(string name)
    {
        var file = string.Equals(name, ResNet18Model.EmbeddedName, StringComparison.Ordinal)
            ? Path.Combine(EmbeddedFolder, ResNet18Model.ModelFile)
            : ModelManifest.PathIn(Path.Combine(ModelsRoot, name));
        var info = new FileInfo(file);
        return info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "missing";
    }

    /// <summary>Opens the model <paramref name="name"/> (see <see cref="ResolveName"/> for the default). The caller disposes it.</summary>
    /// <exception cref="MediaTaggerException">Not installed (<see cref="ErrorIds.ModelNotInstalled"/>) or does not load.</exception>
    public IEmbeddingModel Open(string name, InferenceSettings? settings = null)
    {
        name = Canonical(name);
        if (name == ResNet18Model.EmbeddedName)
        {
            if (!File.Exists(Path.Combine(EmbeddedFolder, ResNet18Model.ModelFile)))
                throw new MediaTaggerException(ErrorIds.ModelNotInstalled, $"The built-in model is missing from '{EmbeddedFolder}': the module is incomplete; rebuild or reinstall MediaTagger.", ErrorKind.NotInstalled, EmbeddedFolder);
            return ResNet18Model.Load(EmbeddedFolder, settings);
        }
        var folder = Path.Combine(ModelsRoot, name);
        var manifest = ModelManifest.TryLoad(folder) ?? throw NotInstalled(name);
        return ClipModel.Load(folder, name, manifest.ModelId, settings);
    }

    /// <summary>Every installed model and the built-in one, marking the one <see cref="ResolveName"/> picks.</summary>
    public IReadOnlyList<ModelInfo> List(MediaProfile? profile = null)
    {
        string? chosen = null;
        try { chosen = ResolveName(null, profile); }
        catch (MediaTaggerException) { }
        var list = Installed().Select(m => new ModelInfo
        {
            Name = m.Name,
            Kind = "CLIP",
            Installed = true,
            Dimension = m.Dimension,
            SupportsText = m.SupportsText,
            Source = m.Source,
            ModelId = m.ModelId,
            Path = Path.Combine(ModelsRoot, m.Name),
            SizeBytes = m.Files.Sum(f => f.Size),
            InstalledUtc = m.InstalledUtc,
        }).ToList();
        var embedded = Path.Combine(EmbeddedFolder, ResNet18Model.ModelFile);
        list.Add(new ModelInfo
        {
            Name = ResNet18Model.EmbeddedName,
            Kind = "ResNet18",
            Dimension = 512,
            SupportsText = false,
            BuiltIn = true,
            Installed = true,
            Source = "Microsoft.ML.DnnImageFeaturizer.ResNet18 (built in)",
            Path = EmbeddedFolder,
            SizeBytes = File.Exists(embedded) ? new FileInfo(embedded).Length : 0,
        });
        foreach (var m in list) m.IsDefault = string.Equals(m.Name, chosen, StringComparison.Ordinal);
        return list;
    }
}

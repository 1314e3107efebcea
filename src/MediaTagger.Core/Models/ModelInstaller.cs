using System.Text.RegularExpressions;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>What Install-MediaTaggerModel is doing, for its progress bar.</summary>
public sealed record InstallProgress(string Model, string Phase, string? File, long BytesDone, long BytesTotal);

public enum InstallOutcome
{
    Installed,
    AlreadyInstalled,
}

public sealed record InstallResult(ModelManifest Manifest, string Folder, InstallOutcome Outcome);

/// <summary>
/// Installs models into the per-user model folder, one sub-folder each: downloaded from the catalog (with resume,
/// size check, SHA-256 recorded at first install) or copied from a folder the user already has. Everything is
/// assembled in a hidden staging folder and proven to load in ONNX Runtime before it replaces an installed model,
/// so an interrupted or failed install never leaves a half model behind (and a re-run resumes the download).
/// </summary>
public sealed partial class ModelInstaller
{
    readonly ModelDownloader _downloader;

    public ModelInstaller(string? modelsRoot = null, ModelDownloader? downloader = null)
    {
        ModelsRoot = modelsRoot ?? UserPaths.Models;
        _downloader = downloader ?? new ModelDownloader();
    }

    public string ModelsRoot { get; }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex ValidName();

    public InstallResult InstallFromCatalog(CatalogEntry entry, string? baseUrl, bool force, Action<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var name = CheckName(entry.Name);
        var dest = Path.Combine(ModelsRoot, name);
        if (!force && Existing(dest, name, cancellationToken) is { } existing) return existing;

        var staging = StagingFolder(name);
        var total = entry.TotalSize;
        long done = 0;
        foreach (var file in entry.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(staging, file.Path);
            if (!File.Exists(target))
            {
                var url = ModelCatalog.UrlOf(entry, file, baseUrl);
                _downloader.Download(url, target, n =>
                {
                    done += n;
                    progress?.Invoke(new InstallProgress(name, "Downloading", file.Path, done, Math.Max(total, done)));
                }, cancellationToken);
            }
            else
            {
                done += new FileInfo(target).Length;
            }
            CheckSize(target, file, staging);
        }
        return Finish(staging, dest, name, entry.Repo, entry.Dimension, entry.Files.ToDictionary(f => f.Path, f => f.Sha256), progress, cancellationToken);
    }

    public InstallResult InstallFromFolder(string source, string? name, bool force, Action<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        source = Path.GetFullPath(source);
        if (!Directory.Exists(source))
            throw new MediaTaggerException(ErrorIds.ModelFolderNotFound,
                File.Exists(source) ? $"'{source}' is a file; -Path takes the model's folder." : $"The model folder '{source}' was not found.",
                ErrorKind.ObjectNotFound, source);
        var files = ClipFiles.Find(source);
        if (files is null)
            throw new MediaTaggerException(ErrorIds.ModelFolderInvalid,
                $"'{source}' is not a CLIP model folder: it needs onnx/vision_model.onnx (Hugging Face export, with text_model.onnx, vocab.json + merges.txt or tokenizer.json, preprocessor_config.json) or visual/model.onnx (Immich layout).",
                ErrorKind.InvalidArgument, source);
        name = CheckName(name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(source)));
        var dest = Path.Combine(ModelsRoot, name);
        if (!force && Existing(dest, name, cancellationToken) is { } existing) return existing;

        var staging = StagingFolder(name);
        var all = files.All.ToList();
        var total = all.Sum(f => new FileInfo(Path.Combine(source, f)).Length);
        long done = 0;
        foreach (var rel in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(staging, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using (var from = new FileStream(Path.Combine(source, rel), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            using (var to = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = from.Read(buffer)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    to.Write(buffer, 0, read);
                    done += read;
                    progress?.Invoke(new InstallProgress(name, "Copying", rel, done, total));
                }
            }
        }
        return Finish(staging, dest, name, "folder:" + source, 0, new Dictionary<string, string?>(), progress, cancellationToken);
    }

    static string CheckName(string name)
    {
        if (!ValidName().IsMatch(name) || string.Equals(name, ResNet18Model.EmbeddedName, StringComparison.OrdinalIgnoreCase))
            throw new MediaTaggerException(ErrorIds.ModelFolderInvalid,
                $"'{name}' cannot be a model name: use letters, digits, '.', '_' and '-' (and not '{ResNet18Model.EmbeddedName}', the built-in model). Pass -Name to choose one.",
                ErrorKind.InvalidArgument, name);
        return name;
    }

    string StagingFolder(string name)
    {
        var staging = Path.Combine(ModelsRoot, $".{name}.partial");
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>An intact installed model is left as it is; one whose files changed since install is reported, never silently used or replaced.</summary>
    static InstallResult? Existing(string dest, string name, CancellationToken cancellationToken)
    {
        var manifest = ModelManifest.TryLoad(dest);
        if (manifest is null) return null;
        var damaged = manifest.FindDamaged(dest, cancellationToken);
        if (damaged.Count > 0)
            throw new MediaTaggerException(ErrorIds.ModelHashMismatch,
                $"The installed model '{name}' is damaged: {string.Join(", ", damaged)} no longer match the size and SHA-256 recorded at install. Reinstall it with Install-MediaTaggerModel -Name {name} -Force.",
                ErrorKind.InvalidData, dest);
        return new InstallResult(manifest, dest, InstallOutcome.AlreadyInstalled);
    }

    /// <summary>The catalog size is what the repository served when the catalog was written; a very different file is not the one it describes.</summary>
    static void CheckSize(string path, CatalogFile file, string staging)
    {
        var actual = new FileInfo(path).Length;
        if (file.Size <= 0) return;
        var tolerance = Math.Max(file.Size / 10, 4096);
        if (Math.Abs(actual - file.Size) > tolerance)
        {
            File.Delete(path);
            throw new MediaTaggerException(ErrorIds.ModelSizeMismatch,
                $"'{file.Path}' has {actual:N0} bytes but the catalog expects about {file.Size:N0}: it is not the file the catalog describes (deleted; the repository may have changed).",
                ErrorKind.InvalidData, Path.Combine(staging, file.Path));
        }
    }

    InstallResult Finish(string staging, string dest, string name, string source, int expectedDim, Dictionary<string, string?> knownHashes,
        Action<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var files = ClipFiles.Find(staging) ?? throw new MediaTaggerException(ErrorIds.ModelFolderInvalid,
            $"The files of '{name}' hold no image model (onnx/vision_model.onnx or visual/model.onnx).", ErrorKind.InvalidData, staging);
        var manifest = new ModelManifest { Name = name, Source = source, Layout = files.Layout, InstalledUtc = DateTime.UtcNow };
        var all = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(staging, f).Replace('\\', '/'))
            .Where(f => !f.EndsWith(".part", StringComparison.Ordinal) && f != ModelManifest.FileName)
            .Order(StringComparer.Ordinal).ToList();
        var total = all.Sum(f => new FileInfo(Path.Combine(staging, f)).Length);
        long done = 0;
        foreach (var rel in all)
        {
            progress?.Invoke(new InstallProgress(name, "Verifying (SHA-256)", rel, done, total));
            var path = Path.Combine(staging, rel);
            var sha = ModelManifest.Sha256Of(path);
            if (knownHashes.GetValueOrDefault(rel) is { Length: > 0 } known && !string.Equals(known, sha, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(path);
                throw new MediaTaggerException(ErrorIds.ModelHashMismatch, $"'{rel}' of '{name}' has SHA-256 {sha}, not {known} as the catalog says (deleted; run the command again to download it anew).", ErrorKind.InvalidData, path);
            }
            var size = new FileInfo(path).Length;
            manifest.Files.Add(new ModelFile { Path = rel, Size = size, Sha256 = sha });
            done += size;
        }
        var visionSha = manifest.Files.First(f => f.Path == files.Vision).Sha256;
        var repo = source.StartsWith("folder:", StringComparison.Ordinal) ? name : source;
        manifest.ModelId = $"{repo}@sha256:{visionSha[..16]}";

        // The load check: both towers must open in ONNX Runtime and agree on the dimension.
        progress?.Invoke(new InstallProgress(name, "Checking that the model loads", null, total, total));
        try
        {
            using var model = ClipModel.Load(staging, name, manifest.ModelId);
            manifest.SupportsText = model.LoadText();
            manifest.Dimension = model.Dimension;
            manifest.Preprocessing = model.Preprocessing;
        }
        catch (MediaTaggerException ex) when (ex.ErrorId is ErrorIds.ModelLoadFailed or ErrorIds.ModelFolderInvalid)
        {
            // The files themselves are bad: drop them so a re-run starts afresh instead of retrying the same bytes.
            DeleteFolder(staging);
            throw new MediaTaggerException(ex.ErrorId, $"The model '{name}' does not load, so it was not installed: {ex.Message}", ex.Kind, ex.Target, ex);
        }
        if (expectedDim > 0 && manifest.Dimension != expectedDim)
        {
            DeleteFolder(staging);
            throw new MediaTaggerException(ErrorIds.ModelLoadFailed, $"The model '{name}' makes {manifest.Dimension}-d vectors, but the catalog says {expectedDim}: not installed.", ErrorKind.InvalidData, staging);
        }
        manifest.Save(staging);

        // Swap in: the old folder (if any) moves aside first, so there is never a moment with a half model in place.
        string? old = null;
        if (Directory.Exists(dest))
        {
            old = Path.Combine(ModelsRoot, $".{name}.old-{Guid.NewGuid():N}");
            Directory.Move(dest, old);
        }
        Directory.Move(staging, dest);
        if (old is not null) DeleteFolder(old);
        return new InstallResult(manifest, dest, InstallOutcome.Installed);
    }

    static void DeleteFolder(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>
/// mediatagger-model.json in an installed model's folder: where the model came from, what it is, and the size and
/// SHA-256 of every file as installed, so later installs and checks can tell an intact model from a damaged one.
/// </summary>
public sealed class ModelManifest
{
    public const string FileName = "mediatagger-model.json";

    public string Name { get; set; } = "";

    /// <summary>The catalog entry's repository (e.g. Xenova/clip-vit-base-patch32), or "folder" for an imported model.</summary>
    public string Source { get; set; } = "";

    /// <summary>"huggingface" (split vision/text export), "immich", or <see cref="FacesLayout"/>.</summary>
    public string Layout { get; set; } = "";

    /// <summary>The face models (a detector and a face embedder, Core/Faces): listed, but never an image-embedding model.</summary>
    public const string FacesLayout = "faces";

    public string ModelId { get; set; } = "";
    public int Dimension { get; set; }
    public bool SupportsText { get; set; }
    public string Preprocessing { get; set; } = "";
    public DateTime InstalledUtc { get; set; }
    public List<ModelFile> Files { get; set; } = [];

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public static ModelManifest? TryLoad(string folder)
    {
        var file = PathIn(folder);
        if (!File.Exists(file)) return null;
        try { return Json.Read<ModelManifest>(file); }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException) { return null; }
    }

    public void Save(string folder) => Json.Write(PathIn(folder), this);

    /// <summary>The files whose size or SHA-256 no longer match what was recorded at install (missing ones included).</summary>
    public List<string> FindDamaged(string folder, CancellationToken cancellationToken = default)
    {
        var damaged = new List<string>();
        foreach (var f in Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(folder, f.Path);
            if (!File.Exists(path) || new FileInfo(path).Length != f.Size || !string.Equals(Sha256Of(path), f.Sha256, StringComparison.OrdinalIgnoreCase))
                damaged.Add(f.Path);
        }
        return damaged;
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256Of(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexString(SHA256.HashData(fs)).ToLowerInvariant();
    }
}

public sealed class ModelFile
{
    /// <summary>Relative to the model folder, with '/' separators.</summary>
    public string Path { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
}

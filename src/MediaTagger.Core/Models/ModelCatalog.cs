using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>
/// models/catalog.json: the models Install-MediaTaggerModel can download (never the weights themselves): for each,
/// its Hugging Face repository, files with URLs and sizes, embedding dimension and image size.
/// </summary>
public sealed class ModelCatalog
{
    public const string DefaultBaseUrl = "https://huggingface.co";

    /// <summary>Overrides the download host (a mirror, or a test server): https://host/&lt;repo&gt;/resolve/main/&lt;file&gt;.</summary>
    public const string BaseUrlVariable = "MEDIATAGGER_MODEL_BASEURL";

    public int FormatVersion { get; set; } = 1;
    public List<CatalogEntry> Models { get; set; } = [];

    /// <summary>The catalog shipped beside the MediaTagger.Core assembly (models/catalog.json in the built module).</summary>
    public static string DefaultPath => Path.Combine(Path.GetDirectoryName(typeof(ModelCatalog).Assembly.Location)!, "models", "catalog.json");

    public static ModelCatalog Load(string? path = null)
    {
        path ??= DefaultPath;
        try
        {
            var catalog = Json.Read<ModelCatalog>(path) ?? throw new JsonException("empty catalog");
            foreach (var m in catalog.Models)
                if (string.IsNullOrEmpty(m.Name) || string.IsNullOrEmpty(m.Repo) || m.Files.Count == 0) throw new JsonException($"entry '{m.Name}' lacks a name, repo or files");
            return catalog;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.ModelCatalogInvalid, $"The model catalog '{path}' cannot be read: {ex.Message}", ErrorKind.InvalidData, path, ex);
        }
    }

    public CatalogEntry Get(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new MediaTaggerException(ErrorIds.ModelNotInCatalog,
            $"There is no model named '{name}' in the catalog. Available: {string.Join(", ", Models.Select(m => m.Name))}. A model you already have on disk installs with Install-MediaTaggerModel -Path <folder>.",
            ErrorKind.ObjectNotFound, name);

    /// <summary>The default CLIP model of the catalog (the entry marked default, else the first).</summary>
    public CatalogEntry? Default => Models.FirstOrDefault(m => m.Default) ?? Models.FirstOrDefault();

    /// <summary>The download URL of <paramref name="file"/>: its catalog URL, or the same path under <paramref name="baseUrl"/> when given.</summary>
    public static Uri UrlOf(CatalogEntry entry, CatalogFile file, string? baseUrl)
    {
        var b = string.IsNullOrEmpty(baseUrl) ? Environment.GetEnvironmentVariable(BaseUrlVariable) : baseUrl;
        if (string.IsNullOrEmpty(b) && !string.IsNullOrEmpty(file.Url)) return new Uri(file.Url);
        b = string.IsNullOrEmpty(b) ? DefaultBaseUrl : b;
        return new Uri($"{b.TrimEnd('/')}/{entry.Repo}/resolve/main/{file.Path}");
    }
}

public sealed class CatalogEntry
{
    public string Name { get; set; } = "";
    public string Repo { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The model installed when Install-MediaTaggerModel is run without -Name.</summary>
    public bool Default { get; set; }

    /// <summary>"huggingface" or "immich".</summary>
    public string Layout { get; set; } = "huggingface";

    public int Dimension { get; set; }
    public int ImageSize { get; set; } = 224;
    public List<CatalogFile> Files { get; set; } = [];

    public long TotalSize => Files.Sum(f => f.Size);
}

public sealed class CatalogFile
{
    /// <summary>Path inside the repository, kept as the path inside the model folder.</summary>
    public string Path { get; set; } = "";
    public string? Url { get; set; }

    /// <summary>Expected size in bytes (what the repository served when the catalog was written).</summary>
    public long Size { get; set; }

    /// <summary>Optional known SHA-256; when absent the hash is recorded at first install and checked afterwards.</summary>
    public string? Sha256 { get; set; }
}

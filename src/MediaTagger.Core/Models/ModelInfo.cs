namespace MediaTagger.Core.Models;

/// <summary>An installed model (or the built-in one), as Get-MediaTaggerModel lists it.</summary>
public sealed class ModelInfo
{
    public string Name { get; set; } = "";

    /// <summary>"CLIP" (image and text) or "ResNet18" (built in, images only).</summary>
    public string Kind { get; set; } = "";

    public int Dimension { get; set; }
    public bool SupportsText { get; set; }

    /// <summary>True for the model Add-MediaEmbedding and the searches use when none is named.</summary>
    public bool IsDefault { get; set; }

    public bool BuiltIn { get; set; }

    /// <summary>False for a catalog entry listed by Get-MediaTaggerModel -ListAvailable that is not installed yet.</summary>
    public bool Installed { get; set; }

    /// <summary>The catalog repository it was downloaded from, or "folder:&lt;path&gt;" when imported.</summary>
    public string Source { get; set; } = "";

    public string ModelId { get; set; } = "";
    public string Path { get; set; } = "";
    public long SizeBytes { get; set; }
    public DateTime? InstalledUtc { get; set; }

    public override string ToString() => Name;
}

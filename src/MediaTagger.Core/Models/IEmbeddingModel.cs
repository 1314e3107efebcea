namespace MediaTagger.Core.Models;

/// <summary>
/// A loaded embedding model. Implementations read everything model-specific (input/output names, sizes,
/// preprocessing) from the model files and return L2-normalised vectors. Thread-safe for concurrent calls.
/// Open one with <see cref="ModelRegistry.Open"/>.
/// </summary>
public interface IEmbeddingModel : IDisposable
{
    /// <summary>The installed name (folder name), also the store folder under data/embeddings/.</summary>
    string Name { get; }

    /// <summary>Identity of the weights (e.g. "Xenova/clip-vit-base-patch32@sha256:…"), recorded in the store's meta so vectors of different models never mix.</summary>
    string ModelId { get; }

    int Dimension { get; }

    /// <summary>True when the model has a text tower (CLIP family); the embedded ResNet18 has none.</summary>
    bool SupportsText { get; }

    /// <summary>How this model runs inference (images per call, threads per call, calls at once).</summary>
    InferenceSettings Settings { get; }

    /// <summary>A short description of the image preprocessing, recorded in the store's meta.</summary>
    string Preprocessing { get; }

    /// <summary>Embeds images (any file ImageMagick decodes; normally rep JPEGs). One vector per path, in order.</summary>
    /// <exception cref="Common.MediaTaggerException">An image cannot be decoded (<see cref="Common.ErrorIds.EmbeddingRepUnreadable"/>), or inference failed.</exception>
    float[][] EmbedImages(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default);

    /// <summary>Embeds a text prompt. Throws <see cref="Common.MediaTaggerException"/> (MediaModelHasNoTextTower) when <see cref="SupportsText"/> is false.</summary>
    float[] EmbedText(string text);

    /// <summary>Decodes and preprocesses images into the model's input tensor (the CPU-bound half of <see cref="EmbedImages"/>); a file that does not decode gets an error in its slot.</summary>
    PreparedImages PrepareImages(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default);

    /// <summary>Runs the image tower on a prepared batch; null for the slots whose image failed to decode.</summary>
    float[]?[] EmbedPrepared(PreparedImages batch, CancellationToken cancellationToken = default);
}

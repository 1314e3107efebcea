using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>
/// A batch of decoded, preprocessed images in the model's input layout (NCHW float32), ready for inference.
/// Preparing and running are separate steps so decoding the next batch overlaps inference of this one.
/// </summary>
public sealed class PreparedImages
{
    public PreparedImages(IReadOnlyList<string> paths, int channels, int height, int width)
    {
        Paths = paths;
        Channels = channels;
        Height = height;
        Width = width;
        Data = new float[(long)paths.Count * ImageSize];
        Errors = new ItemError?[paths.Count];
    }

    public IReadOnlyList<string> Paths { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int ImageSize => Channels * Height * Width;
    public int Count => Paths.Count;

    /// <summary>Image i occupies Data[i*ImageSize .. (i+1)*ImageSize).</summary>
    public float[] Data { get; }

    /// <summary>Non-null where an image could not be decoded; its slot is left as zeros and its vector is null.</summary>
    public ItemError?[] Errors { get; }

    public Span<float> Slot(int i) => Data.AsSpan(i * ImageSize, ImageSize);
}

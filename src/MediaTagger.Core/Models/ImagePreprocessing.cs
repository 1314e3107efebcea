using System.Globalization;
using ImageMagick;
using ImageMagick.Formats;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>How the image is resized before cropping.</summary>
public enum ResizeRule
{
    /// <summary>Shortest edge to the model size (aspect kept), then a centre crop (CLIP).</summary>
    ShortestEdge,

    /// <summary>Straight to the model size, aspect ignored.</summary>
    Squash,
}

/// <summary>
/// Turns an image file into one planar (CHW) float slot of a model's input: decode, orient, resize, crop, scale,
/// normalise. The numbers come from the model's preprocessor config, never assumed.
/// </summary>
public sealed record ImagePreprocessing
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    public int Width { get; init; } = 224;
    public int Height { get; init; } = 224;

    /// <summary>Target of the resize step (for ShortestEdge: the shortest edge).</summary>
    public int ResizeTo { get; init; } = 224;

    public ResizeRule Resize { get; init; } = ResizeRule.ShortestEdge;
    public FilterType Filter { get; init; } = FilterType.Catrom;

    /// <summary>Pixel values are multiplied by this first (1/255 for CLIP, 1 for a model that wants 0–255).</summary>
    public float Scale { get; init; } = 1f / 255f;

    public float[] Mean { get; init; } = ClipMean;
    public float[] Std { get; init; } = ClipStd;

    /// <summary>The standard CLIP preprocessing at <paramref name="size"/> px.</summary>
    public static ImagePreprocessing Clip(int size = 224) => new() { Width = size, Height = size, ResizeTo = size };

    /// <summary>Recorded in the store's meta, so vectors made with different preprocessing are recognisable.</summary>
    public string Describe()
    {
        static string F(float[] v) => string.Join(",", v.Select(x => x.ToString("0.######", CultureInfo.InvariantCulture)));
        var resize = Resize == ResizeRule.ShortestEdge ? $"shortest-edge {ResizeTo} {Filter.ToString().ToLowerInvariant()}, centre-crop {Width}x{Height}" : $"resize {Width}x{Height} {Filter.ToString().ToLowerInvariant()}";
        return $"RGB, {resize}, scale {Scale.ToString("0.########", CultureInfo.InvariantCulture)}, mean [{F(Mean)}], std [{F(Std)}], NCHW";
    }

    /// <summary>Decodes <paramref name="imagePath"/> and writes its 3×Height×Width planar RGB values into <paramref name="slot"/>.</summary>
    /// <exception cref="MediaTaggerException">The file cannot be decoded (<see cref="ErrorIds.EmbeddingRepUnreadable"/>).</exception>
    public void Fill(string imagePath, Span<float> slot)
    {
        byte[] rgb;
        try
        {
            rgb = DecodeRgb(imagePath);
        }
        catch (Exception ex) when (ex is MagickException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.EmbeddingRepUnreadable, $"'{imagePath}' cannot be decoded: {ex.Message}", ErrorKind.ReadError, imagePath, ex);
        }
        var plane = Width * Height;
        for (var c = 0; c < 3; c++)
        {
            var scale = Scale / Std[c];
            var offset = -Mean[c] / Std[c];
            var dest = slot.Slice(c * plane, plane);
            for (int i = 0, p = c; i < plane; i++, p += 3) dest[i] = rgb[p] * scale + offset;
        }
    }

    byte[] DecodeRgb(string imagePath)
    {
        var settings = new MagickReadSettings();
        // Told the size we need, the JPEG decoder scales by 1/2, 1/4 or 1/8 while decoding (never below the hint):
        // a 512 px rep decodes at 256 px, a quarter of the work, and the resize from there loses nothing the model sees.
        var hint = Math.Max(ResizeTo, Math.Max(Width, Height));
        settings.SetDefines(new JpegReadDefines { Size = new MagickGeometry((uint)hint, (uint)hint) });
        using var image = new MagickImage(imagePath, settings);
        if (image.Width == 0 || image.Height == 0) throw new MagickCorruptImageErrorException("empty image");
        image.AutoOrient();
        if (image.ColorSpace is not (ColorSpace.sRGB or ColorSpace.RGB or ColorSpace.Gray)) image.ColorSpace = ColorSpace.sRGB;
        image.FilterType = Filter;
        if (Resize == ResizeRule.Squash)
        {
            image.Resize(new MagickGeometry((uint)Width, (uint)Height) { IgnoreAspectRatio = true });
        }
        else
        {
            // Shortest edge to ResizeTo (rounded like the reference processors), then a centre crop.
            double scale = (double)ResizeTo / Math.Min(image.Width, image.Height);
            var w = Math.Max(Width, (int)Math.Round(image.Width * scale));
            var h = Math.Max(Height, (int)Math.Round(image.Height * scale));
            if (w != image.Width || h != image.Height) image.Resize(new MagickGeometry((uint)w, (uint)h) { IgnoreAspectRatio = true });
            var x = (w - Width) / 2;
            var y = (h - Height) / 2;
            image.Crop(new MagickGeometry(x, y, (uint)Width, (uint)Height));
            image.ResetPage();
        }
        using var pixels = image.GetPixelsUnsafe();
        return pixels.ToByteArray(PixelMapping.RGB) ?? throw new MagickCorruptImageErrorException("no pixels");
    }
}

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

/// <summary>Whose arithmetic resizes the image.</summary>
public enum Resampler
{
    /// <summary>
    /// Pillow's, bit for bit (<see cref="PillowResize"/>), from the full-size decoded image, with Hugging Face's size
    /// and crop arithmetic: what CLIP models were trained with (CLIPImageProcessor, OpenCLIP).
    /// </summary>
    Pillow,

    /// <summary>
    /// ImageMagick's decode at a reduced JPEG size when that loses nothing, and its size rounding (the built-in ResNet18's
    /// own path); the resize itself is Pillow's arithmetic with the same filter, which differs from ImageMagick's by rounding only.
    /// </summary>
    ImageMagick,
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

    /// <summary>The resampling filter (Pillow's names; on the ImageMagick path the equivalent ImageMagick filter).</summary>
    public PillowFilter Filter { get; init; } = PillowFilter.Bicubic;

    public Resampler Resampler { get; init; } = Resampler.Pillow;

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
        var filter = $"{Filter.ToString().ToLowerInvariant()} (pillow)";
        var resize = Resize == ResizeRule.ShortestEdge ? $"shortest-edge {ResizeTo} {filter}, centre-crop {Width}x{Height}" : $"resize {Width}x{Height} {filter}";
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

    /// <summary>The output size of the resize step, as Hugging Face computes it: the long side truncated, not rounded.</summary>
    public (int Width, int Height) ResizedSize(int width, int height)
    {
        if (Resize == ResizeRule.Squash) return (Width, Height);
        var (shortSide, longSide) = width <= height ? (width, height) : (height, width);
        var newLong = (int)((double)ResizeTo * longSide / shortSide);
        return width <= height ? (ResizeTo, newLong) : (newLong, ResizeTo);
    }

    byte[] DecodeRgb(string imagePath) => Resampler == Resampler.Pillow ? DecodePillow(imagePath) : DecodeMagick(imagePath);

    /// <summary>
    /// Decode at full size (a reduced-size JPEG decode gives other pixels than the reference), convert to 8-bit RGB,
    /// resize with Pillow's arithmetic, crop the centre with floor((size − crop) / 2) offsets.
    /// </summary>
    byte[] DecodePillow(string imagePath)
    {
        var (rgb, width, height) = ReadRgb(imagePath, null);
        var (w, h) = ResizedSize(width, height);
        if (w < Width || h < Height) throw new MagickCorruptImageErrorException($"the image is too small to crop {Width}x{Height} from ({w}x{h} after resizing)");
        return PillowResize.ResizeCrop(rgb, width, height, w, h, Filter, (w - Width) / 2, (h - Height) / 2, Width, Height);
    }

    /// <summary>
    /// The image as ImageMagick decodes it at a reduced JPEG size, then resized and cropped by <see cref="PillowResize"/>
    /// with the filter ImageMagick would use (its Triangle is Pillow's bilinear), computing only the crop. ImageMagick's
    /// own resize cost more than decoding and inference setup together; the pixels differ from it by rounding only
    /// (ResNet18PreprocessingTests bounds the difference).
    /// </summary>
    byte[] DecodeMagick(string imagePath)
    {
        var settings = new MagickReadSettings();
        // Told the size we need, the JPEG decoder scales by M/8 while decoding (never below the hint):
        // a large photo decodes at a fraction of the work, and the resize from there loses nothing the model sees.
        var hint = Math.Max(ResizeTo, Math.Max(Width, Height));
        settings.SetDefines(new JpegReadDefines { Size = new MagickGeometry((uint)hint, (uint)hint) });
        var (rgb, width, height) = ReadRgb(imagePath, settings);
        if (Resize == ResizeRule.Squash) return PillowResize.Resize(rgb, width, height, Width, Height, Filter);
        // Shortest edge to ResizeTo (rounded like the reference processors), then a centre crop.
        double scale = (double)ResizeTo / Math.Min(width, height);
        var w = Math.Max(Width, (int)Math.Round(width * scale));
        var h = Math.Max(Height, (int)Math.Round(height * scale));
        return PillowResize.ResizeCrop(rgb, width, height, w, h, Filter, (w - Width) / 2, (h - Height) / 2, Width, Height);
    }

    /// <summary>The picture upright, as 8-bit RGB (grey and other colour spaces converted to sRGB).</summary>
    static (byte[] Rgb, int Width, int Height) ReadRgb(string imagePath, MagickReadSettings? settings)
    {
        using var image = new MagickImage(imagePath, settings);
        if (image.Width == 0 || image.Height == 0) throw new MagickCorruptImageErrorException("empty image");
        image.AutoOrient();
        if (image.ColorSpace is not (ColorSpace.sRGB or ColorSpace.RGB or ColorSpace.Gray)) image.ColorSpace = ColorSpace.sRGB;
        int width = (int)image.Width, height = (int)image.Height;
        byte[] rgb;
        using (var pixels = image.GetPixelsUnsafe())
            rgb = pixels.ToByteArray(PixelMapping.RGB) ?? throw new MagickCorruptImageErrorException("no pixels");
        return (rgb, width, height);
    }
}

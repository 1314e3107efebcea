using ImageMagick;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Reps;

/// <summary>
/// Tells an image's real format from its first bytes (camera RAW, which has no signature of its own, from the extension).
/// Magick.NET is then told the format explicitly: a PNG named .jpg decodes as PNG, and a file that is no image we
/// handle (text, SVG, PostScript named .jpg) never reaches a decoder.
/// </summary>
static class MediaSniffer
{
    static readonly Dictionary<string, MagickFormat> RawFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dng"] = MagickFormat.Dng, ["cr2"] = MagickFormat.Cr2, ["cr3"] = MagickFormat.Cr3, ["nef"] = MagickFormat.Nef,
        ["arw"] = MagickFormat.Arw, ["orf"] = MagickFormat.Orf, ["rw2"] = MagickFormat.Rw2, ["raf"] = MagickFormat.Raf,
        ["srw"] = MagickFormat.Srw, ["pef"] = MagickFormat.Pef,
    };

    static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsRaw(MagickFormat format) => RawFormats.ContainsValue(format);

    public static MagickFormat? Sniff(ReadOnlySpan<byte> b, string path) =>
        RawFormats.TryGetValue(MediaExtensions.ExtensionOf(path), out var raw) ? raw : SniffContent(b);

    /// <summary>The format the first bytes show, ignoring the name (RAW files read as TIFF or nothing here).</summary>
    public static MagickFormat? SniffContent(ReadOnlySpan<byte> b)
    {
        if (b.Length < 12) return null;
        if (b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return MagickFormat.Jpeg;
        if (b.StartsWith(PngSignature)) return MagickFormat.Png;
        if (b.StartsWith("GIF8"u8)) return MagickFormat.Gif;
        if (b.StartsWith("II*\0"u8) || b.StartsWith("MM\0*"u8) || b.StartsWith("II+\0"u8) || b.StartsWith("MM\0+"u8)) return MagickFormat.Tiff;
        if (b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return MagickFormat.WebP;
        if (b.StartsWith("8BPS"u8)) return MagickFormat.Psd;
        if (b.StartsWith("BM"u8)) return MagickFormat.Bmp;
        if (b[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = b[8..12];
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)) return MagickFormat.Avif;
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("hevc"u8) || brand.SequenceEqual("hevx"u8)
                || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8))
                return MagickFormat.Heic;
        }
        return null;
    }

    /// <summary>Reads a JPEG's frame size from its SOF marker without decoding anything.</summary>
    public static bool TryGetJpegSize(ReadOnlySpan<byte> b, out int width, out int height)
    {
        width = height = 0;
        var i = 2;
        while (i + 9 < b.Length)
        {
            if (b[i] != 0xFF) return false;
            var marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 || marker is >= 0xD0 and <= 0xD7) { i += 2; continue; }
            var length = (b[i + 2] << 8) | b[i + 3];
            // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                height = (b[i + 5] << 8) | b[i + 6];
                width = (b[i + 7] << 8) | b[i + 8];
                return width > 0 && height > 0;
            }
            if (marker == 0xDA || length < 2) return false;
            i += 2 + length;
        }
        return false;
    }
}

using System.Buffers;
using ImageMagick;
using ImageMagick.Formats;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Reps;

/// <summary>
/// Renders one image file (inside a library or not: anchors, ad-hoc files) to a representative JPEG: decoded with
/// Magick.NET (JPEG shrink-on-load, first frame of animations and multi-page files, PSD's merged composite, a RAW's
/// embedded preview when large enough), upright by its EXIF orientation, sRGB 8-bit, scaled to fit
/// <c>size</c> on the long edge (never upscaled), alpha flattened on white, no metadata.
/// Failures throw <see cref="MediaTaggerException"/> with a <c>MediaRep*</c> id (see <see cref="ErrorIds"/>).
/// </summary>
public static class ImageRep
{
    // Huffman optimisation is a second pass for a ~3% smaller file; reps are small and many. The fast integer DCT is
    // libjpeg-turbo's quickest; at quality 85 and 512 px its error is below what the quantisation already removes.
    static readonly JpegWriteDefines FastEncode = new() { OptimizeCoding = false, DctMethod = JpegDctMethod.Fast };

    static ImageRep() => MagickLimits.Apply();

    /// <summary>Renders <paramref name="sourcePath"/> to the JPEG file <paramref name="destinationPath"/>, atomically (temp name, then rename).</summary>
    public static RepImageSize Render(string sourcePath, string destinationPath, int size = RepOptions.DefaultSize,
        int quality = RepOptions.DefaultQuality, CancellationToken cancellationToken = default) =>
        Render(sourcePath, size, cancellationToken, image =>
        {
            try
            {
                // No fsync per rep (it costs as much as a tenth of the render): reps can be rendered again, and an empty one counts as missing.
                AtomicFile.Write(destinationPath, s => Encode(image, s, quality), flushToDisk: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MediaTaggerException(ErrorIds.RepWriteFailed, $"Cannot write the rep '{destinationPath}': {ex.Message}", ErrorKind.WriteError, sourcePath, ex);
            }
        });

    /// <summary>Renders <paramref name="sourcePath"/> as JPEG into <paramref name="destination"/> (for anchors and other files outside a library).</summary>
    public static RepImageSize Render(string sourcePath, Stream destination, int size = RepOptions.DefaultSize,
        int quality = RepOptions.DefaultQuality, CancellationToken cancellationToken = default) =>
        Render(sourcePath, size, cancellationToken, image => Encode(image, destination, quality));

    /// <summary>Decodes <paramref name="sourcePath"/> as a rep is made (upright, sRGB, fitted to <paramref name="size"/>), to pixels in memory.</summary>
    public static RgbPixels DecodePixels(string sourcePath, int size, CancellationToken cancellationToken = default)
    {
        RgbPixels? pixels = null;
        Render(sourcePath, size, cancellationToken, image =>
        {
            using var all = image.GetPixels();
            pixels = new RgbPixels((int)image.Width, (int)image.Height, all.ToByteArray(PixelMapping.RGB)!);
        });
        return pixels!;
    }

    static RepImageSize Render(string sourcePath, int size, CancellationToken ct, Action<MagickImage> write)
    {
        using var image = Decode(sourcePath, size, ct);
        try
        {
            var result = Prepare(image, size);
            ct.ThrowIfCancellationRequested();
            write(image);
            return result;
        }
        catch (MagickException ex)
        {
            ct.ThrowIfCancellationRequested();
            throw Classify(ex, sourcePath, image.Format);
        }
    }

    static MagickImage Decode(string path, int size, CancellationToken ct)
    {
        var (buffer, length) = ReadSource(path);
        try
        {
            var data = buffer.AsSpan(0, length);
            if (length == 0) throw Fail(ErrorIds.RepDecodeFailed, path, "the file is empty (0 bytes)");
            var format = MediaSniffer.Sniff(data, path)
                ?? throw Fail(ErrorIds.RepDecodeFailed, path, "the file is not an image this tool reads (unknown or damaged header)");

            // A large plain PNG is reduced while it is inflated (ImageMagick would hold and average it at full size).
            if (format == MagickFormat.Png && PngShrink.TryDecode(buffer.AsMemory(0, length), size) is { } reduced) return FromPixels(reduced);
            if (!MediaSniffer.IsRaw(format)) return Read(buffer, 0, length, format, path, size, ct);
            if (TryRawPreview(buffer, length, path, size, ct) is { } preview) return preview;
            try
            {
                return Read(buffer, 0, length, format, path, size, ct);
            }
            catch (MediaTaggerException) when (MediaSniffer.SniffContent(data) is { } content && content != MagickFormat.Tiff)
            {
                // Not a RAW file after all (a JPEG renamed .nef): decode what it really is.
                return Read(buffer, 0, length, content, path, size, ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static MagickImage FromPixels(RgbPixels pixels)
    {
        var image = new MagickImage();
        image.ReadPixels(pixels.Data, new PixelReadSettings((uint)pixels.Width, (uint)pixels.Height, StorageType.Char, PixelMapping.RGB));
        return image;
    }

    /// <summary>The whole file in a pooled buffer: one read, no copies, and no file name ever reaches ImageMagick (whose names carry syntax such as "[0]" or "png:").</summary>
    static (byte[] Buffer, int Length) ReadSource(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var length = fs.Length;
            if (length > MagickLimits.MaxFileBytes)
                throw Fail(ErrorIds.RepTooLarge, path, $"the file is {length / (1 << 20):N0} MB, over the {MagickLimits.MaxFileBytes / (1 << 20):N0} MB an image may have");
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            var read = 0;
            try
            {
                while (read < length)
                {
                    var n = fs.Read(buffer, read, (int)length - read);
                    if (n == 0) break;
                    read += n;
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            return (buffer, read);
        }
        catch (FileNotFoundException ex) { throw new MediaTaggerException(ErrorIds.RepSourceNotFound, $"'{path}' no longer exists.", ErrorKind.ObjectNotFound, path, ex); }
        catch (DirectoryNotFoundException ex) { throw new MediaTaggerException(ErrorIds.RepSourceNotFound, $"'{path}' no longer exists.", ErrorKind.ObjectNotFound, path, ex); }
        catch (UnauthorizedAccessException ex) { throw new MediaTaggerException(ErrorIds.RepSourceUnreadable, $"'{path}' cannot be read: {ex.Message}", ErrorKind.PermissionDenied, path, ex); }
        catch (IOException ex) { throw new MediaTaggerException(ErrorIds.RepSourceUnreadable, $"'{path}' cannot be read: {ex.Message}", ErrorKind.ReadError, path, ex); }
    }

    static MagickImage Read(byte[] buffer, int offset, int length, MagickFormat format, string path, int size, CancellationToken ct)
    {
        var settings = new MagickReadSettings
        {
            Format = format,
            // First frame of an animation or multi-page file; for PSD frame 0 is the merged composite.
            FrameIndex = 0,
            FrameCount = 1,
        };
        // A JPEG decodes straight to the smallest DCT scale that still covers the rep, with the fast integer IDCT and
        // plain chroma upsampling: the image is reduced right after, which hides both.
        if (format == MagickFormat.Jpeg && MediaSniffer.TryGetJpegSize(buffer.AsSpan(offset, length), out var w, out var h))
            settings.Defines = new JpegReadDefines { Size = ShrinkHint(w, h, size), DctMethod = JpegDctMethod.Fast, FancyUpsampling = false };

        var image = new MagickImage();
        string? corrupt = null;
        image.Warning += (_, e) => { if (IsTruncation(e.Message)) corrupt ??= e.Message; };
        // Lets Ctrl+C abort a long decode (a huge TIFF) instead of waiting for it.
        image.Progress += (_, e) => { if (ct.IsCancellationRequested) e.Cancel = true; };
        try
        {
            image.Read(buffer, (uint)offset, (uint)length, settings);
        }
        catch (MagickException ex)
        {
            image.Dispose();
            ct.ThrowIfCancellationRequested();
            throw Classify(ex, path, format);
        }
        if (corrupt is not null)
        {
            image.Dispose();
            throw Fail(ErrorIds.RepDecodeFailed, path, $"the file is truncated or damaged ({Short(corrupt)})");
        }
        return image;
    }

    /// <summary>
    /// The jpeg:size hint for a source of <paramref name="width"/>×<paramref name="height"/>, or null for a full decode.
    /// libjpeg scales by M/8 while decoding; we pick the smallest M whose long edge still covers <paramref name="size"/>
    /// (about 3× cheaper for a 2560×1600 photo) and name that exact size, because ImageMagick's own rounding of a
    /// looser hint can land below the target (a 1000×1000 JPEG hinted 512×512 decodes to 500×500).
    /// </summary>
    static MagickGeometry? ShrinkHint(int width, int height, int size)
    {
        var longEdge = Math.Max(width, height);
        for (var m = 1; m < 8; m++)
            if ((longEdge * m + 7) / 8 >= size)
                return new MagickGeometry((uint)((width * m + 7) / 8), (uint)((height * m + 7) / 8));
        return null;
    }

    /// <summary>A RAW file's embedded JPEG preview, decoded, when its long edge covers <paramref name="size"/>; null to decode the RAW itself.</summary>
    static MagickImage? TryRawPreview(byte[] buffer, int length, string path, int size, CancellationToken ct)
    {
        byte[]? jpeg;
        Orientation orientation;
        try
        {
            using var probe = new MagickImage();
            probe.Ping(buffer, 0, (uint)length, new MagickReadSettings { Format = MediaSniffer.Sniff(buffer.AsSpan(0, length), path)!.Value, Defines = new DngReadDefines { ReadThumbnail = true } });
            jpeg = probe.GetProfile("dng:thumbnail")?.ToByteArray();
            orientation = probe.Orientation;
        }
        catch (MagickException)
        {
            return null;
        }
        if (jpeg is null || MediaSniffer.Sniff(jpeg, "preview.jpg") != MagickFormat.Jpeg
            || !MediaSniffer.TryGetJpegSize(jpeg, out var w, out var h) || Math.Max(w, h) < size)
            return null;
        var image = Read(jpeg, 0, jpeg.Length, MagickFormat.Jpeg, path, size, ct);
        // Previews rarely carry their own EXIF; the RAW's orientation applies to them.
        if (image.Orientation is Orientation.Undefined or Orientation.TopLeft) image.Orientation = orientation;
        return image;
    }

    /// <summary>Upright, sRGB, fitted to <paramref name="size"/>, opaque, 8-bit RGB, without metadata.</summary>
    static RepImageSize Prepare(MagickImage image, int size)
    {
        image.AutoOrient();
        var icc = image.GetColorProfile();
        var cmyk = image.ColorSpace == ColorSpace.CMYK;
        var fit = new MagickGeometry((uint)size, (uint)size) { Greater = true };
        if (Math.Max(image.Width, image.Height) >= 2 * size)
        {
            // A big reduction (a PNG or TIFF has no shrink-on-load): box averaging is antialiased and 2-3x cheaper than a filter.
            image.Scale(fit);
        }
        else
        {
            // Near the target (JPEGs after shrink-on-load): a triangle filter is as sharp as Lanczos at that ratio, and faster.
            image.FilterType = FilterType.Triangle;
            image.Resize(fit);
        }
        if (cmyk)
            image.TransformColorSpace(icc ?? ColorProfiles.USWebCoatedSWOP, ColorProfiles.SRGB);
        else if (icc is not null && !(icc.Description ?? "").Contains("sRGB", StringComparison.OrdinalIgnoreCase))
            image.TransformColorSpace(icc, ColorProfiles.SRGB);
        if (image.HasAlpha)
        {
            image.BackgroundColor = MagickColors.White;
            image.Alpha(AlphaAction.Remove);
            image.Alpha(AlphaAction.Off);
        }
        if (image.ColorSpace != ColorSpace.sRGB) image.ColorSpace = ColorSpace.sRGB;
        if (image.ColorType != ColorType.TrueColor) image.ColorType = ColorType.TrueColor;
        // Without this the JPEG writer stores a grey picture as one channel; reps are always three.
        image.Settings.ColorType = ColorType.TrueColor;
        image.Strip();
        return new RepImageSize((int)image.Width, (int)image.Height);
    }

    static void Encode(MagickImage image, Stream stream, int quality)
    {
        image.Quality = (uint)Math.Clamp(quality, 1, 100);
        image.Settings.SetDefines(FastEncode);
        image.Write(stream, MagickFormat.Jpeg);
    }

    static bool IsTruncation(string message) =>
        message.Contains("Premature end", StringComparison.OrdinalIgnoreCase)
        || message.Contains("insufficient image data", StringComparison.OrdinalIgnoreCase)
        || message.Contains("unexpected end", StringComparison.OrdinalIgnoreCase)
        || message.Contains("truncat", StringComparison.OrdinalIgnoreCase)
        || message.Contains("CorruptImage", StringComparison.OrdinalIgnoreCase);

    static MediaTaggerException Classify(MagickException ex, string path, MagickFormat format) => ex switch
    {
        MagickResourceLimitErrorException or MagickCacheErrorException when IsLimit(ex.Message) =>
            new MediaTaggerException(ErrorIds.RepTooLarge, $"'{path}' is too large to decode safely ({Short(ex.Message)}); it may be a decompression bomb.", ErrorKind.LimitsExceeded, path, ex),
        MagickMissingDelegateErrorException =>
            new MediaTaggerException(ErrorIds.RepFormatNotSupported, $"'{path}' is {format}, which this build of ImageMagick cannot decode ({Short(ex.Message)}).", ErrorKind.NotInstalled, path, ex),
        _ when IsLimit(ex.Message) =>
            new MediaTaggerException(ErrorIds.RepTooLarge, $"'{path}' is too large to decode safely ({Short(ex.Message)}); it may be a decompression bomb.", ErrorKind.LimitsExceeded, path, ex),
        _ => new MediaTaggerException(ErrorIds.RepDecodeFailed, $"'{path}' cannot be decoded as {format}: {Short(ex.Message)}", ErrorKind.InvalidData, path, ex),
    };

    static bool IsLimit(string message) =>
        message.Contains("exceeds limit", StringComparison.OrdinalIgnoreCase)
        || message.Contains("ResourcesExhausted", StringComparison.OrdinalIgnoreCase)
        || message.Contains("resources exhausted", StringComparison.OrdinalIgnoreCase)
        || message.Contains("ResourceLimit", StringComparison.OrdinalIgnoreCase);

    static MediaTaggerException Fail(string id, string path, string why) =>
        new(id, $"'{path}' cannot be rendered: {why}.", id == ErrorIds.RepTooLarge ? ErrorKind.LimitsExceeded : ErrorKind.InvalidData, path);

    /// <summary>ImageMagick messages end with " @ error/coder.c/Function/123": drop that for users.</summary>
    static string Short(string message)
    {
        var at = message.IndexOf(" @ ", StringComparison.Ordinal);
        var text = (at > 0 ? message[..at] : message).Trim();
        // We read from memory, so ImageMagick's "`file name'" suffix is empty.
        return text.EndsWith("`'", StringComparison.Ordinal) ? text[..^2].TrimEnd() : text;
    }
}

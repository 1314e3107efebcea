using ImageMagick;

namespace MediaTagger.Core.Reps;

/// <summary>
/// Process-wide Magick.NET resource limits, so a decompression bomb (a small file declaring a huge canvas) fails
/// fast as one per-file error instead of taking the machine's memory or disk.
/// </summary>
static class MagickLimits
{
    /// <summary>The largest image file read into memory (RAW, TIFF and PSD files of large sensors stay well below).</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Largest canvas decoded, in pixels: 200 megapixels covers large panoramas and medium-format scans.</summary>
    public const ulong MaxPixels = 200_000_000;

    static int _applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        ResourceLimits.Area = MaxPixels;
        ResourceLimits.Width = 100_000;
        ResourceLimits.Height = 100_000;
        ResourceLimits.ListLength = 10_000;
        // No pixel cache on disk: an image that does not fit the area and memory limits is refused, not paged to /tmp.
        ResourceLimits.Disk = 0;
    }
}

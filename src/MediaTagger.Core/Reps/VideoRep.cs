using System.Globalization;
using FFMpegCore;
using FFMpegCore.Exceptions;
using ImageMagick;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Reps;

/// <summary>
/// Pulls evenly spaced frames of a video with the system ffmpeg (through FFMpegCore): frame 1 at 10% of the duration
/// (past black lead-ins), the rest spread up to 90%. ffmpeg applies rotation metadata itself (autorotate), scales to
/// fit the rep size (never up, square pixels) and writes the JPEG to a temporary name that is renamed when complete.
/// </summary>
static class VideoRep
{
    public static RepImageSize Render(string sourcePath, IReadOnlyList<string> destinations, int size, int quality, string ffmpegFolder, CancellationToken ct)
    {
        var options = new FFOptions { BinaryFolder = ffmpegFolder };
        IMediaAnalysis analysis;
        try
        {
            analysis = FFProbe.Analyse(sourcePath, options);
        }
        catch (Exception ex) when (ex is FFMpegException or FormatException or System.Text.Json.JsonException or InvalidOperationException or IOException)
        {
            throw new MediaTaggerException(ErrorIds.RepDecodeFailed, $"'{sourcePath}' cannot be read as a video: {Brief(ex)}", ErrorKind.InvalidData, sourcePath, ex);
        }
        if (analysis.PrimaryVideoStream is null)
            throw new MediaTaggerException(ErrorIds.RepDecodeFailed, $"'{sourcePath}' has no video stream.", ErrorKind.InvalidData, sourcePath);
        var duration = analysis.Duration > TimeSpan.Zero ? analysis.Duration : analysis.PrimaryVideoStream.Duration;

        RepImageSize first = default;
        for (var i = 0; i < destinations.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var fraction = destinations.Count == 1 ? 0.1 : 0.1 + 0.8 * i / (destinations.Count - 1);
            var rendered = RenderFrame(sourcePath, destinations[i], duration * fraction, size, quality, options, ct);
            if (i == 0) first = rendered;
        }
        return first;
    }

    static RepImageSize RenderFrame(string sourcePath, string destination, TimeSpan at, int size, int quality, FFOptions options, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var tmp = AtomicFile.TempNameFor(destination);
        try
        {
            var seconds = at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            // ffmpeg's JPEG quantiser scale: 2 is best, 31 worst; quality 85 maps to 3.
            var qscale = Math.Clamp((100 - quality) / 5, 2, 31);
            var filter = $"scale=iw*sar:ih,setsar=1,scale='min({size},iw)':'min({size},ih)':force_original_aspect_ratio=decrease";
            try
            {
                FFMpegArguments
                    .FromFileInput(sourcePath, verifyExists: false, o => o.WithCustomArgument($"-ss {seconds}"))
                    .OutputToFile(tmp, overwrite: true, o => o
                        .WithCustomArgument($"-map 0:v:0 -frames:v 1 -an -sn -dn -vf \"{filter}\" -pix_fmt yuvj420p -q:v {qscale} -map_metadata -1 -f mjpeg"))
                    .CancellableThrough(ct)
                    .ProcessSynchronously(throwOnError: true, options);
            }
            catch (Exception ex) when (ex is FFMpegException or InvalidOperationException)
            {
                ct.ThrowIfCancellationRequested();
                throw new MediaTaggerException(ErrorIds.RepDecodeFailed, $"'{sourcePath}': ffmpeg could not take a frame at {seconds} s: {Brief(ex)}", ErrorKind.InvalidData, sourcePath, ex);
            }
            ct.ThrowIfCancellationRequested();
            var info = new FileInfo(tmp);
            if (!info.Exists || info.Length == 0)
                throw new MediaTaggerException(ErrorIds.RepDecodeFailed, $"'{sourcePath}': no frame could be decoded at {seconds} s (the video may be truncated).", ErrorKind.InvalidData, sourcePath);
            var image = new MagickImageInfo(tmp);
            File.Move(tmp, destination, overwrite: true);
            return new RepImageSize((int)image.Width, (int)image.Height);
        }
        finally
        {
            AtomicFile.TryDelete(tmp);
        }
    }

    /// <summary>The last meaningful line of ffmpeg's complaint, not its whole log.</summary>
    static string Brief(Exception ex)
    {
        var lines = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = lines.LastOrDefault(l => !l.StartsWith("Conversion failed", StringComparison.Ordinal)) ?? ex.Message;
        return last.Length > 300 ? last[..300] : last;
    }
}

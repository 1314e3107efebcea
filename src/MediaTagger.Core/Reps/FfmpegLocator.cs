using MediaTagger.Core.Common;

namespace MediaTagger.Core.Reps;

/// <summary>Finds the system ffmpeg and ffprobe on PATH; videos cannot be rendered without them.</summary>
public static class FfmpegLocator
{
    /// <summary>The folder that holds both ffmpeg and ffprobe.</summary>
    /// <exception cref="MediaTaggerException">MediaRepFfmpegNotFound, with the command that installs them.</exception>
    public static string FindFolder()
    {
        var exe = OperatingSystem.IsWindows() ? ".exe" : "";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string full;
            try { full = Path.GetFullPath(dir.Trim('"')); }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { continue; }
            if (File.Exists(Path.Combine(full, "ffmpeg" + exe)) && File.Exists(Path.Combine(full, "ffprobe" + exe))) return full;
        }
        throw new MediaTaggerException(ErrorIds.RepFfmpegNotFound,
            "Rendering videos needs ffmpeg and ffprobe, and they are not on PATH. Install ffmpeg, then run New-MediaRep again: "
            + (OperatingSystem.IsWindows() ? "winget install ffmpeg"
                : OperatingSystem.IsMacOS() ? "brew install ffmpeg"
                : "sudo apt-get install ffmpeg (Debian/Ubuntu), sudo dnf install ffmpeg (Fedora) or your distribution's package")
            + ". Images are rendered without it.",
            ErrorKind.NotInstalled, "ffmpeg");
    }
}

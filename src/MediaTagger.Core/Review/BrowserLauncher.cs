using System.ComponentModel;
using System.Diagnostics;

namespace MediaTagger.Core.Review;

/// <summary>Opens a URL in the user's default browser.</summary>
public static class BrowserLauncher
{
    /// <summary>Returns false when no browser could be started (headless server, no desktop): the caller prints the URL.</summary>
    public static bool TryOpen(Uri url)
    {
        try
        {
            ProcessStartInfo psi;
            if (OperatingSystem.IsWindows()) psi = new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true };
            else
            {
                psi = new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open") { UseShellExecute = false };
                psi.ArgumentList.Add(url.AbsoluteUri);
                // The opener's chatter ("Opening in existing browser session") must not land in the pipeline.
                psi.RedirectStandardOutput = true;
                psi.RedirectStandardError = true;
            }
            using var process = Process.Start(psi);
            if (process is null) return OperatingSystem.IsWindows();
            if (!OperatingSystem.IsWindows())
            {
                process.StandardOutput.ReadToEndAsync();
                process.StandardError.ReadToEndAsync();
                // xdg-open returns once the browser has the URL; a non-zero exit means it found none.
                if (process.WaitForExit(10_000) && process.ExitCode != 0) return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or FileNotFoundException)
        {
            return false;
        }
    }
}

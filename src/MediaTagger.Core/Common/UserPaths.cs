namespace MediaTagger.Core.Common;

/// <summary>
/// Per-user folders: installed models and user profiles. MEDIATAGGER_HOME overrides both (tests, portable setups);
/// otherwise the platform's conventions (XDG on Linux, ~/Library on macOS, %LOCALAPPDATA% on Windows).
/// </summary>
public static class UserPaths
{
    public static string Home
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable("MEDIATAGGER_HOME");
            if (!string.IsNullOrEmpty(overridden)) return Path.GetFullPath(overridden);
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MediaTagger");
            if (OperatingSystem.IsMacOS())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Application Support", "MediaTagger");
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg, "mediatagger");
        }
    }

    /// <summary>Installed models, one folder each.</summary>
    public static string Models => Path.Combine(Home, "models");

    /// <summary>The user's own profiles (*.json), beside the shipped ones.</summary>
    public static string Profiles => Path.Combine(Home, "profiles");
}

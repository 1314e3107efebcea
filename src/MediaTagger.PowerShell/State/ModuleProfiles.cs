using MediaTagger.Core.Profiles;

namespace MediaTagger.PowerShell.State;

/// <summary>Profiles shipped in the module's profiles/ folder (copied there by build.ps1) plus the user's own.</summary>
public static class ModuleProfiles
{
    /// <summary>The profiles/ folder beside the module assembly.</summary>
    public static string ShippedFolder { get; } = Path.Combine(Path.GetDirectoryName(typeof(ModuleProfiles).Assembly.Location)!, "profiles");

    /// <summary>A store over both folders; cheap, and created per call so newly added user profiles show up at once.</summary>
    public static ProfileStore Store => new(ShippedFolder);
}

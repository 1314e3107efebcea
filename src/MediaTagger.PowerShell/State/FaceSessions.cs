using MediaTagger.Core.Faces;
using MediaTagger.Core.Models;

namespace MediaTagger.PowerShell.State;

/// <summary>The face models of this session, opened once (reopened after a reinstall) and kept in <see cref="ModuleState"/>.</summary>
public static class FaceSessions
{
    /// <exception cref="Core.Common.MediaTaggerException">Not installed, or they do not load.</exception>
    public static FaceModels Get()
    {
        var folder = FaceModels.InstalledFolder();
        var manifest = new FileInfo(ModelManifest.PathIn(folder));
        return ModuleState.GetOrAdd($"faces:{folder}", manifest.Exists ? $"{manifest.Length}:{manifest.LastWriteTimeUtc.Ticks}" : "missing",
            () => FaceModels.OpenInstalled(intraOpThreads: 1));
    }
}

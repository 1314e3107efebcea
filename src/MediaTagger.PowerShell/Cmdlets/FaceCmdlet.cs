using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>What the face cmdlets share: the library they work on and opening its faces.</summary>
public abstract class FaceCmdlet : LibraryCmdlet
{
    /// <summary>-Library (or the fallback's library, or the session's last one).</summary>
    protected MediaLibrary FaceLibraryRoot(string? fallbackRoot = null, string? fallbackStore = null) =>
        ResolveLibrary(Library ?? fallbackRoot, StorePath ?? (Library is null ? fallbackStore : null));

    /// <summary>The library's faces joined with its catalog; a damaged store ends the command.</summary>
    protected FaceLibrary OpenFaces(MediaLibrary library)
    {
        try { return FaceLibrary.Open(library); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); return null!; }
    }
}

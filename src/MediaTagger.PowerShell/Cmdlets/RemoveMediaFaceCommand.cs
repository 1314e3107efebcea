using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Deletes all face data of a library (faces, vectors, names): the privacy switch. Sidecars are not touched.</summary>
[Cmdlet(VerbsCommon.Remove, "MediaFace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveMediaFaceCommand : FaceCmdlet
{
    [Parameter(Mandatory = true)]
    public SwitchParameter All { get; set; }

    protected override void EndProcessing()
    {
        var library = FaceLibraryRoot();
        if (!ShouldProcess(FaceStore.FolderOf(library), "Delete every face, face vector and name of the library")) return;
        try { FaceStore.DeleteAll(library); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(new MediaTaggerException(ErrorIds.FaceStoreUnreadable, $"Cannot delete '{FaceStore.FolderOf(library)}': {ex.Message}", ErrorKind.WriteError, library.Root, ex));
        }
    }
}

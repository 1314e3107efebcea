using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Lists the faces of a library's face store: all, one person's, or the unnamed ones.</summary>
[Cmdlet(VerbsCommon.Get, "MediaFace", DefaultParameterSetName = AllSet)]
[OutputType(typeof(MediaFace))]
public sealed class GetMediaFaceCommand : FaceCmdlet
{
    const string AllSet = "All";

    /// <summary>Only the faces named this (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter Unnamed { get; set; }

    /// <summary>Only the faces of these files.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string[]? Path { get; set; }

    FaceLibrary? _faces;

    protected override void ProcessRecord()
    {
        _faces ??= OpenFaces(FaceLibraryRoot());
        var pattern = Name is null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
        var paths = Path?.Select(ResolvePath).ToHashSet(Core.Library.MediaLibrary.PathComparer);
        foreach (var face in _faces.Faces)
        {
            if (Unnamed && face.Name is not null) continue;
            if (pattern is not null && (face.Name is null || !pattern.IsMatch(face.Name))) continue;
            if (paths is not null && !paths.Contains(face.Path)) continue;
            WriteObject(face);
        }
    }
}

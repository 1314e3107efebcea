using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Finds every picture of a person: anchors are photos of them (the largest face in each), faces piped from
/// Get-MediaFace, or a name (every face already named so). Each picture scores by its best face against the best
/// anchor face, and carries that face's box.
/// </summary>
[Cmdlet(VerbsCommon.Find, "MediaFace", DefaultParameterSetName = AnchorSet)]
[OutputType(typeof(FaceMatch))]
public sealed class FindMediaFaceCommand : FaceCmdlet
{
    const string AnchorSet = "Anchor";
    const string FaceSet = "Face";
    const string NameSet = "Name";
    readonly List<MediaFace> _faces = [];

    [Parameter(ParameterSetName = AnchorSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Anchor { get; set; }

    [Parameter(ParameterSetName = FaceSet, Mandatory = true, ValueFromPipeline = true)]
    public MediaFace[]? Face { get; set; }

    /// <summary>A person's name: the faces already named so are the anchors.</summary>
    [Parameter(ParameterSetName = NameSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateRange(-1.0, 1.0)]
    public double MinScore { get; set; } = FaceSearch.DefaultMinScore;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Top { get; set; }

    protected override void ProcessRecord() => _faces.AddRange(Face ?? []);

    protected override void EndProcessing()
    {
        try
        {
            var library = FaceLibraryRoot(_faces.FirstOrDefault()?.LibraryRoot, _faces.FirstOrDefault()?.StorePath);
            var faces = OpenFaces(library);
            List<AnchorFace> anchors;
            HashSet<string>? exclude = null;
            if (ParameterSetName == AnchorSet)
            {
                var analyzer = new FaceAnalyzer(FaceSessions.Get());
                anchors = [];
                foreach (var path in Anchor!.SelectMany(ResolvePaths))
                {
                    try { anchors.Add(FaceSearch.FromPhoto(analyzer, path, StopToken)); }
                    catch (MediaTaggerException ex) { WriteItemError(ex.ToItemError()); }
                }
            }
            else
            {
                var source = ParameterSetName == NameSet ? faces.Named(Name!) : _faces;
                if (source.Count == 0 && ParameterSetName == NameSet)
                    throw new MediaTaggerException(ErrorIds.FaceNotFound, $"No face is named '{Name}' in '{library.Root}': name some with Set-MediaFaceName first.", ErrorKind.ObjectNotFound, Name);
                anchors = FaceSearch.FromFaces(faces, source.Select(f => f.FaceId));
                // The anchors themselves are not results: they are already known.
                exclude = source.Select(f => f.FaceId).ToHashSet(StringComparer.Ordinal);
            }
            if (anchors.Count == 0) return;
            foreach (var match in FaceSearch.Find(faces, anchors, MinScore, Top, exclude)) WriteObject(match);
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
        }
    }
}

using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Review;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Names faces: piped faces (Get-MediaFace), clusters (Group-MediaFace) or face matches (Find-MediaFace, after
/// review). Every naming is recorded, so -Name '' (or -Clear) un-names and the store keeps the history.
/// </summary>
[Cmdlet(VerbsCommon.Set, "MediaFaceName", SupportsShouldProcess = true)]
[OutputType(typeof(MediaFace))]
public sealed class SetMediaFaceNameCommand : MediaTaggerCmdlet
{
    readonly List<(string FaceId, string Library, string Store)> _faces = [];

    [Parameter(Mandatory = true, Position = 0)]
    [AllowEmptyString]
    public string? Name { get; set; }

    /// <summary>A MediaFace, FaceCluster or FaceMatch.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public object[]? InputObject { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject ?? [])
        {
            switch (item is PSObject ps ? ps.BaseObject : item)
            {
                case MediaFace face:
                    _faces.Add((face.FaceId, face.LibraryRoot, face.StorePath));
                    break;
                case FaceCluster cluster:
                    _faces.AddRange(cluster.Faces.Select(f => (f.FaceId, f.LibraryRoot, f.StorePath)));
                    break;
                case ReviewedMatch { Approved: false }:
                    break;   // rejected in review: never named
                case ReviewedMatch { Match: FaceMatch reviewed }:
                    _faces.Add((reviewed.FaceId, reviewed.LibraryRoot, reviewed.StorePath));
                    break;
                case FaceMatch match:
                    _faces.Add((match.FaceId, match.LibraryRoot, match.StorePath));
                    break;
                default:
                    WriteItemError(new ItemError(ErrorIds.FaceNotFound, $"'{item}' is not a face: pipe faces from Get-MediaFace, Group-MediaFace or Find-MediaFace.", item, ErrorKind.InvalidArgument));
                    break;
            }
        }
    }

    protected override void EndProcessing()
    {
        var name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim();
        foreach (var group in _faces.GroupBy(f => (f.Library, f.Store)))
        {
            var ids = group.Select(f => f.FaceId).Distinct().ToList();
            if (!ShouldProcess($"{ids.Count} face(s) in '{group.Key.Library}'", name is null ? "Remove the name" : $"Name '{name}'")) continue;
            try
            {
                var faces = FaceLibrary.Open(ResolveLibrary(group.Key.Library, group.Key.Store));
                faces.SetNames(ids, name);
                if (PassThru)
                {
                    var after = FaceLibrary.Open(faces.Library);
                    foreach (var id in ids) WriteObject(after.Find(id));
                }
            }
            catch (MediaTaggerException ex)
            {
                WriteItemError(ex.ToItemError());
            }
        }
    }
}

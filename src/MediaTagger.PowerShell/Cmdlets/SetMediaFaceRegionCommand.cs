using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.People;
using MediaTagger.Core.Review;
using MediaTagger.Core.Xmp;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Writes named faces into XMP sidecars: a "People|&lt;name&gt;" tag per person and a Metadata Working Group face region
/// per face, merged into what the sidecar holds and journaled, so Undo-MediaXmpTag reverses it. Only faces a person
/// named (Set-MediaFaceName) or approved in review reach a sidecar.
/// </summary>
[Cmdlet(VerbsCommon.Set, "MediaFaceRegion", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true)]
[OutputType(typeof(TagJournalEntry))]
public sealed class SetMediaFaceRegionCommand : FaceCmdlet
{
    const string PipelineSet = "Pipeline";
    const string PersonSet = "Person";
    readonly List<NamedFace> _faces = [];
    readonly List<(string FaceId, string Root, string Store)> _matches = [];

    /// <summary>Named faces (Get-MediaFace), or face matches approved in review (with -Name).</summary>
    [Parameter(ParameterSetName = PipelineSet, Mandatory = true, ValueFromPipeline = true)]
    public object[]? InputObject { get; set; }

    /// <summary>The name for piped face matches (named faces keep their own unless this is given).</summary>
    [Parameter(ParameterSetName = PipelineSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Every face of the library named so (wildcards allowed).</summary>
    [Parameter(ParameterSetName = PersonSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Person { get; set; }

    [Parameter]
    public SidecarNaming SidecarNaming { get; set; } = SidecarNaming.Basename;

    [Parameter]
    public SubjectLevels SubjectLevels { get; set; } = SubjectLevels.AllLevels;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject ?? [])
        {
            switch (item is PSObject ps ? ps.BaseObject : item)
            {
                case MediaFace face when (Name ?? face.Name) is { } n:
                    _faces.Add(new NamedFace(face, n));
                    break;
                case MediaFace face:
                    WriteItemError(new ItemError(ErrorIds.FaceNotFound, $"The face {face} has no name: name it with Set-MediaFaceName, or pass -Name.", face.FaceId, ErrorKind.InvalidArgument));
                    break;
                case ReviewedMatch { Approved: false }:
                    break;   // rejected in review: never written
                case ReviewedMatch { Match: FaceMatch match }:
                    _matches.Add((match.FaceId, match.LibraryRoot, match.StorePath));
                    break;
                case FaceMatch match:
                    _matches.Add((match.FaceId, match.LibraryRoot, match.StorePath));
                    break;
                default:
                    WriteItemError(new ItemError(ErrorIds.FaceNotFound, $"'{item}' is not a face: pipe named faces from Get-MediaFace, or face matches from Find-MediaFace | Invoke-MediaReview.", item, ErrorKind.InvalidArgument));
                    break;
            }
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == PersonSet)
        {
            var pattern = new WildcardPattern(Person!, WildcardOptions.IgnoreCase);
            _faces.AddRange(OpenFaces(FaceLibraryRoot()).Faces.Where(f => f.Name is not null && pattern.IsMatch(f.Name)).Select(f => new NamedFace(f, f.Name!)));
        }
        if (_matches.Count > 0)
        {
            if (Name is null)
            {
                ThrowTerminating(new MediaTaggerException(ErrorIds.FaceNotFound, "Face matches need -Name: the person they are.", ErrorKind.InvalidArgument));
                return;
            }
            foreach (var group in _matches.GroupBy(m => (m.Root, m.Store)))
            {
                var faces = OpenFaces(ResolveLibrary(group.Key.Root, group.Key.Store));
                foreach (var (id, _, _) in group)
                {
                    if (faces.Find(id) is { } face) _faces.Add(new NamedFace(face, Name));
                    else WriteItemError(new ItemError(ErrorIds.FaceNotFound, $"The face {id} is no longer in the store (the file changed and was analysed again): search again.", id, ErrorKind.ObjectNotFound));
                }
            }
        }
        if (_faces.Count == 0) return;

        var run = TagJournal.NewId();
        var items = FaceRegionTagging.Plan(_faces, SidecarNaming, SubjectLevels, run, StopToken);
        var approved = new List<TagBatchItem>();
        foreach (var item in items)
        {
            if (item.Error is { } error) { WriteItemError(error); continue; }
            if (item.Plan is not { HasChanges: true } plan) continue;
            var what = string.Join(", ", plan.Added.Concat(plan.Changes.Where(c => c.Property == XmpFaceRegions.Property).SelectMany(c => c.Added).Select(k => "region " + k)));
            if (ShouldProcess(item.Sidecar, $"Write {what}")) approved.Add(item);
        }
        using var journals = new TagJournalSet();
        TagBatch.Commit(approved, journals, StopToken);
        foreach (var item in approved)
        {
            if (item.Error is { } error) WriteItemError(error);
            else if (PassThru && item.Entry is { } entry) WriteObject(entry);
        }
        WriteInformation($"{approved.Count(i => i.Entry is not null):N0} sidecar(s) written for {_faces.Select(f => f.Name).Distinct().Count():N0} person(s).", ["MediaTagger", "Faces"]);
    }
}

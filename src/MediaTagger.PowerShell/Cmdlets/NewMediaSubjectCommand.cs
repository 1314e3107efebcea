using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.People;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Search;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Creates a subject (a name, its tag and example images) that learns from every review decision made for it.</summary>
[Cmdlet(VerbsCommon.New, "MediaSubject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SubjectInfo))]
public sealed class NewMediaSubjectCommand : SubjectCmdlet
{
    readonly List<object> _anchors = [];

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Position = 1, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public object[] Anchor { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[] NegativeAnchor { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>The tag approved items get; default: the profile's template applied to the name (Subjects|Name without a profile).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Tag { get; set; }

    [Parameter]
    public SwitchParameter NoProvenance { get; set; }

    /// <summary>Person: the examples are faces (named faces count), ranked on face embeddings, tagged People|Name with face regions.</summary>
    [Parameter]
    public SubjectKind Kind { get; set; } = SubjectKind.Thing;

    /// <summary>Replaces the definition of an existing subject of that name (its review decisions stay).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => _anchors.AddRange(Anchor);

    protected override void EndProcessing()
    {
        var library = ResolveLibrary(Library, StorePath, _anchors.Select(Unwrap).OfType<MediaAsset>().FirstOrDefault(), AnchorPaths(_anchors));
        Subject subject = null!;
        try
        {
            SubjectStore.ValidateName(Name);
            var profile = Profile is null ? null : ModelSessions.GetProfile(Profile);
            var existing = SubjectStore.Find(library, Name);
            if (existing is not null && !Force)
                throw new MediaTaggerException(ErrorIds.SubjectExists,
                    $"The library '{library.Root}' already has a subject '{existing.Name}'. Pick another name, or pass -Force to replace its anchors and tag (its review decisions stay).",
                    ErrorKind.InvalidOperation, Name);
            var catalog = AssetCatalog.Load(library);
            subject = new Subject
            {
                Name = Name,
                Profile = profile?.Name,
                Kind = Kind,
                // A person without a profile is tagged as Set-MediaFaceRegion tags people: People|Name.
                Tag = Tag ?? (profile is null && Kind == SubjectKind.Person ? FaceRegionTagging.TagOf(Name) : (profile ?? new MediaProfile()).TagFor(Name)),
                Anchors = ToSubjectAnchors(ToAnchors(_anchors, library), library, catalog),
                NegativeAnchors = ToSubjectAnchors(ToAnchors(NegativeAnchor, library), library, catalog),
                Provenance = NoProvenance ? false : null,
                CreatedUtc = existing?.CreatedUtc ?? DateTime.UtcNow,
            };
        }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        if (!ShouldProcess(SubjectStore.PathFor(library, Name), $"Create {(Kind == SubjectKind.Person ? "person" : "subject")} '{Name}' (tag {subject.Tag}, {subject.Anchors.Count} anchor(s))")) return;
        try { SubjectStore.Save(library, subject); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        WriteObject(SubjectInfo.For(library, subject, SubjectExamples.Load(library, subject, WriteItemError)));
    }

    /// <summary>Library assets by id and relative path (whether catalogued yet or not); other existing files by path; the rest reported.</summary>
    List<SubjectAnchor> ToSubjectAnchors(List<Anchor> anchors, MediaLibrary library, AssetCatalog catalog)
    {
        var result = new List<SubjectAnchor>();
        foreach (var a in anchors)
        {
            if (a.AssetId is { } id)
            {
                var asset = catalog.FindById(id);
                var relative = asset?.RelativePath ?? (a.FilePath is { } f && library.Contains(f) ? library.RelativePathOf(f) : null);
                if (asset is null && relative is null)
                {
                    WriteItemError(new ItemError(ErrorIds.SearchAnchorNotFound, $"No asset of the library '{library.Root}' has the id '{id}'.", a.Label, ErrorKind.ObjectNotFound));
                    continue;
                }
                result.Add(new SubjectAnchor { Id = id, RelativePath = relative, Frame = a.Frame });
            }
            else if (a.FilePath is { } file && File.Exists(file)) result.Add(new SubjectAnchor { File = file });
            else WriteItemError(new ItemError(ErrorIds.SearchAnchorNotFound, $"The anchor '{a.Label}' does not exist.", a.Label, ErrorKind.ObjectNotFound));
        }
        return result;
    }
}

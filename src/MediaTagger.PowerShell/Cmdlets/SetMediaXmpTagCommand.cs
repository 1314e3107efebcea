using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;
using MediaTagger.Core.Metadata;
using MediaTagger.Core.People;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Subjects;
using MediaTagger.Core.Xmp;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Merges hierarchical tags (and automatic tags from metadata) into the XMP sidecars of media files.</summary>
[Cmdlet(VerbsCommon.Set, "MediaXmpTag", SupportsShouldProcess = true, DefaultParameterSetName = AssetSet)]
[OutputType(typeof(XmpTagInfo))]
public sealed class SetMediaXmpTagCommand : XmpTagWriteCmdlet
{
    const string Activity = "Writing XMP sidecars";

    readonly List<TagTarget> _targets = [];
    List<string> _tags = [];
    string[] _autoTags = [];
    MediaProfile? _profile;

    [Parameter]
    [ValidateSet(AutoTags.Year, AutoTags.Month, AutoTags.Camera, AutoTags.Place, IgnoreCase = true)]
    public string[]? AutoTag { get; set; }

    [Parameter]
    public SwitchParameter NoAutoTag { get; set; }

    /// <summary>Files without a capture date take year and month from the file's modification time (off by default).</summary>
    [Parameter]
    public SwitchParameter DateFromFileTime { get; set; }

    [Parameter]
    public SidecarNaming SidecarNaming { get; set; }

    /// <summary>Tags exactly the items approved for this subject (its anchors in the library included) with its tag.</summary>
    [Parameter(ParameterSetName = SubjectSet, Mandatory = true)]
    [ArgumentCompleter(typeof(SubjectNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Subject { get; set; }

    const string SubjectSet = "Subject";
    Subject? _subject;

    /// <summary>With -Subject and provenance on: where each file's tag came from, by media path.</summary>
    readonly Dictionary<string, TagProvenance> _provenance = new(MediaLibrary.PathComparer);

    /// <summary>With -Subject for a person: the approved faces of each media file, written as face regions too.</summary>
    readonly Dictionary<string, List<NamedFace>> _faces = new(MediaLibrary.PathComparer);

    protected override void BeginProcessing()
    {
        try
        {
            if (Subject is not null) _subject = SubjectStore.Get(ResolveLibrary(Library, StorePath), Subject);
            if (Profile is not null) _profile = ModuleProfiles.Store.Get(ResolveProfile(Profile));
            else if (_subject?.Profile is { } subjectProfile) _profile = ModuleProfiles.Store.Get(subjectProfile);
            // A profile tags with its template; without a label (or a subject's tag) that leaves only automatic tags, which nobody chose.
            if (_profile is not null && Label is null && Tag is null && _subject is null)
                throw new MediaTaggerException(ErrorIds.XmpLabelRequired,
                    $"The profile '{_profile.Name}' tags with '{_profile.TagTemplate}', which needs -Label (e.g. -Profile {_profile.Name} -Label Teddy). Nothing was written.",
                    ErrorKind.InvalidArgument, _profile.Name);
            var template = _profile ?? new MediaProfile();
            _tags = (Tag ?? []).Select(TagPath.Normalize).Concat((Label ?? []).Select(template.TagFor))
                .Concat(_subject is null ? [] : [_subject.Tag]).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
        }
        // Automatic tags come from the profile unless -AutoTag names them; plain -Tag adds none.
        _autoTags = NoAutoTag ? [] : AutoTag ?? _profile?.AutoTags.ToArray() ?? [];
        if (_tags.Count == 0 && _autoTags.Length == 0)
            ThrowTerminating(new MediaTaggerException(ErrorIds.XmpNoTags,
                "No tags to write. Pass -Tag 'Dogs|Teddy', or -Profile pets -Label Teddy, or -AutoTag year,camera.", ErrorKind.InvalidArgument));
    }

    readonly List<string> _notApproved = [];

    protected override void OnInput(string mediaPath, MediaAsset? asset, bool? approved)
    {
        // A rejection travels with the object (Invoke-MediaReview -IncludeRejected, and through CSV, Clixml or a
        // hashtable as an Approved column or key): it passes through a pipeline but is never tagged.
        if (approved == false)
        {
            WriteVerbose($"Skipped (not approved in review): {mediaPath}");
            _notApproved.Add(mediaPath);
            return;
        }
        _targets.Add(new TagTarget(mediaPath, JournalFor(mediaPath, asset, Library, StorePath)));
    }

    protected override void OnEnd()
    {
        if (_subject is not null) AddApprovedForSubject(_subject);
        var dateFromFileTime = DateFromFileTime || _profile?.AutoTagDateFromFileTime == true;
        var undated = new System.Collections.Concurrent.ConcurrentBag<string>();
        var naming = MyInvocation.BoundParameters.ContainsKey(nameof(SidecarNaming)) ? SidecarNaming : _profile?.SidecarNaming ?? SidecarNaming.Basename;
        var levels = _profile?.SubjectLevels ?? SubjectLevels.AllLevels;
        var run = TagJournal.NewId();
        var items = TagBatch.GroupBySidecar(_targets, p => [SidecarLocator.Resolve(p, naming)]);
        List<string> TagsFor(TagBatchItem item, Action<string> warn) =>
            _tags.Concat(item.Targets.SelectMany(t => AutoTags.For(t.MediaPath, _autoTags, dateFromFileTime, warn, undated.Add))).Distinct(StringComparer.Ordinal).ToList();
        RunBatch(items,
            (item, warn) => item.Targets.SelectMany(t => _faces.GetValueOrDefault(t.MediaPath) ?? []).ToList() is { Count: > 0 } named
                // A person's faces: People tag + MWG face regions through the faces' own request builder.
                ? FaceRegionTagging.RequestFor(item, named, levels, run, TagsFor(item, warn))
                : new TagEditRequest
            {
                Sidecar = item.Sidecar,
                MediaPaths = item.Targets.Select(t => t.MediaPath).ToList(),
                Add = TagsFor(item, warn),
                SubjectLevels = levels,
                JournalPath = item.Targets[0].JournalPath,
                Run = run,
                // A RAW+JPEG pair shares one sidecar, and the tag one provenance entry: the first file's decision.
                Provenance = item.Targets.Select(t => _provenance.GetValueOrDefault(t.MediaPath)).OfType<TagProvenance>().Take(1).ToList(),
            },
            plan => (plan.Before is null ? "Create sidecar with tags " : "Add tags ") + string.Join(", ", plan.Added.Count > 0 ? plan.Added : plan.Request.Add),
            PassThru, Activity, _notApproved.Count);
        if (_notApproved.Count > 0)
            WriteWarning($"{_notApproved.Count:N0} input(s) not approved in review were skipped: {string.Join(", ", _notApproved.Take(5).Select(System.IO.Path.GetFileName))}{(_notApproved.Count > 5 ? ", …" : "")}.");
        if (!undated.IsEmpty)
            WriteWarning($"{undated.Count:N0} file(s) have no capture date in their metadata, so they got no year or month tag (their file time is usually when they were copied). Add -DateFromFileTime to take it from the file time anyway.");
    }

    /// <summary>The subject's approved set: the latest decision on each item, from every review of it, anchors in the library included.</summary>
    void AddApprovedForSubject(Subject subject)
    {
        var library = ResolveLibrary(Library, StorePath);
        var catalog = AssetCatalog.Load(library);
        var provenance = SubjectProvenance.Enabled(subject, _profile?.Provenance ?? true);
        if (subject.Kind == SubjectKind.Person)
        {
            AddApprovedFaces(library, subject, provenance);
            return;
        }
        foreach (var example in SubjectExamples.Load(library, subject, WriteItemError).ApprovedAssets)
        {
            var asset = catalog.FindById(example.AssetId!);
            var path = asset?.Path ?? (example.RelativePath is { } rel ? library.FullPathOf(rel) : null);
            if (path is null || !File.Exists(path))
            {
                WriteItemError(new ItemError(ErrorIds.XmpFileNotFound, $"'{example.Label}' was approved for '{subject.Name}' but is no longer in the library.", example.Label, ErrorKind.ObjectNotFound));
                continue;
            }
            _targets.Add(new TagTarget(path, JournalFor(path, asset, Library, StorePath)));
            if (provenance) _provenance[path] = SubjectProvenance.For(subject, example);
        }
    }

    /// <summary>A person's approved faces (named, anchors, review approvals), grouped by the file they are in.</summary>
    void AddApprovedFaces(MediaLibrary library, Subject subject, bool provenance)
    {
        FaceLibrary faces = null!;
        try { faces = FaceLibrary.Open(library); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        foreach (var example in SubjectExamples.LoadPerson(library, subject, faces, WriteItemError).ApprovedFaces)
        {
            if (faces.Find(example.FaceId!) is not { } face || !File.Exists(face.Path))
            {
                WriteItemError(new ItemError(ErrorIds.XmpFileNotFound, $"The face '{example.Label}' was approved for '{subject.Name}' but is no longer in the library (its file changed or went).", example.Label, ErrorKind.ObjectNotFound));
                continue;
            }
            if (!_faces.TryGetValue(face.Path, out var list))
            {
                _faces[face.Path] = list = [];
                _targets.Add(new TagTarget(face.Path, JournalFor(face.Path, null, Library, StorePath)));
            }
            list.Add(new NamedFace(face, subject.Name, subject.Tag, provenance ? SubjectProvenance.For(subject, example) : null));
        }
    }
}

using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;
using MediaTagger.Core.Metadata;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Xmp;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Merges hierarchical tags (and automatic tags from metadata) into the XMP sidecars of media files.</summary>
[Cmdlet(VerbsCommon.Set, "MediaXmpTag", SupportsShouldProcess = true, DefaultParameterSetName = AssetSet)]
[OutputType(typeof(XmpTagInfo))]
public sealed class SetMediaXmpTagCommand : XmpTagCmdlet
{
    const string Activity = "Writing XMP sidecars";

    readonly List<TagTarget> _targets = [];
    List<string> _tags = [];
    string[] _autoTags = [];
    MediaProfile? _profile;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    [Parameter]
    [ValidateSet(AutoTags.Year, AutoTags.Month, AutoTags.Camera, AutoTags.Place, IgnoreCase = true)]
    public string[]? AutoTag { get; set; }

    [Parameter]
    public SwitchParameter NoAutoTag { get; set; }

    [Parameter]
    public SidecarNaming SidecarNaming { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Library { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            if (Profile is not null) _profile = ModuleProfiles.Store.Get(ResolveProfile(Profile));
            var template = _profile ?? new MediaProfile();
            _tags = (Tag ?? []).Select(TagPath.Normalize).Concat((Label ?? []).Select(template.TagFor)).Distinct(StringComparer.Ordinal).ToList();
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

    protected override void OnInput(string mediaPath, MediaAsset? asset)
    {
        // Review emits rejected candidates with Approved=false (-IncludeRejected); they pass through a pipeline but must never be tagged.
        if (asset is IReviewed { Approved: false })
        {
            WriteVerbose($"Skipped (rejected in review): {mediaPath}");
            return;
        }
        _targets.Add(new TagTarget(mediaPath, JournalFor(mediaPath, asset, Library, StorePath)));
    }

    protected override void EndProcessing()
    {
        var naming = MyInvocation.BoundParameters.ContainsKey(nameof(SidecarNaming)) ? SidecarNaming : _profile?.SidecarNaming ?? SidecarNaming.Basename;
        var levels = _profile?.SubjectLevels ?? SubjectLevels.AllLevels;
        var run = TagJournal.NewId();
        var items = TagBatch.GroupBySidecar(_targets, p => [SidecarLocator.Resolve(p, naming)]);
        RunBatch(items,
            (item, warn) => new TagEditRequest
            {
                Sidecar = item.Sidecar,
                MediaPaths = item.Targets.Select(t => t.MediaPath).ToList(),
                Add = _tags.Concat(item.Targets.SelectMany(t => AutoTags.For(t.MediaPath, _autoTags, warn))).Distinct(StringComparer.Ordinal).ToList(),
                SubjectLevels = levels,
                JournalPath = item.Targets[0].JournalPath,
                Run = run,
            },
            plan => (plan.Before is null ? "Create sidecar with tags " : "Add tags ") + string.Join(", ", plan.Added.Count > 0 ? plan.Added : plan.Request.Add),
            PassThru, Activity);
    }
}

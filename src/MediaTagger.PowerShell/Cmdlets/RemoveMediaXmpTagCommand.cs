using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Xmp;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Removes exactly the given tags from every sidecar of media files.</summary>
[Cmdlet(VerbsCommon.Remove, "MediaXmpTag", SupportsShouldProcess = true, DefaultParameterSetName = AssetSet)]
[OutputType(typeof(XmpTagInfo))]
public sealed class RemoveMediaXmpTagCommand : XmpTagWriteCmdlet
{
    const string Activity = "Removing tags from XMP sidecars";

    readonly List<TagTarget> _targets = [];
    List<string> _tags = [];


    protected override void BeginProcessing()
    {
        try
        {
            var template = Profile is null ? new MediaProfile() : ModuleProfiles.Store.Get(ResolveProfile(Profile));
            _tags = (Tag ?? []).Select(TagPath.Normalize).Concat((Label ?? []).Select(template.TagFor)).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
        }
        if (_tags.Count == 0)
            ThrowTerminating(new MediaTaggerException(ErrorIds.XmpNoTags, "No tags to remove. Pass -Tag 'Dogs|Teddy' or -Profile pets -Label Teddy.", ErrorKind.InvalidArgument));
    }

    protected override void OnInput(string mediaPath, MediaAsset? asset, bool? approved) =>
        _targets.Add(new TagTarget(mediaPath, JournalFor(mediaPath, asset, Library, StorePath)));

    protected override void OnEnd()
    {
        var run = TagJournal.NewId();
        // Every existing sidecar of a file (either naming): a tag left in one of them would still show up in some tool.
        var items = TagBatch.GroupBySidecar(_targets, SidecarLocator.Existing);
        foreach (var t in _targets.Where(t => SidecarLocator.Existing(t.MediaPath).Count == 0))
            WriteVerbose($"{t.MediaPath}: no sidecar, nothing to remove.");
        RunBatch(items,
            (item, _) => new TagEditRequest
            {
                Sidecar = item.Sidecar,
                MediaPaths = item.Targets.Select(t => t.MediaPath).ToList(),
                Remove = _tags,
                JournalPath = item.Targets[0].JournalPath,
                Run = run,
            },
            plan => "Remove tags " + string.Join(", ", plan.Removed.Count > 0 ? plan.Removed : plan.Request.Remove),
            PassThru, Activity);
    }
}

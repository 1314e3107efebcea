using System.Management.Automation;
using MediaTagger.Core.Library;
using MediaTagger.Core.Xmp;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Reads the tags of media files from their sidecars (either naming) and their embedded XMP.</summary>
[Cmdlet(VerbsCommon.Get, "MediaXmpTag", DefaultParameterSetName = AssetSet)]
[OutputType(typeof(XmpTagInfo))]
public sealed class GetMediaXmpTagCommand : XmpTagCmdlet
{
    [Parameter]
    public SwitchParameter SidecarOnly { get; set; }

    protected override void OnInput(string mediaPath, MediaAsset? asset, bool? approved) =>
        WriteObject(XmpTagReader.Read(mediaPath, includeEmbedded: !SidecarOnly, onError: WriteItemError));
}

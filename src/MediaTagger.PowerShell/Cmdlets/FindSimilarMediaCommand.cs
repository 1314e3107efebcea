using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Finds the assets that look most like one or more example images (anchors), best first.</summary>
[Cmdlet(VerbsCommon.Find, "SimilarMedia", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MediaMatch))]
public sealed class FindSimilarMediaCommand : SearchCommandBase
{
    readonly List<object> _anchors = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public object[] Anchor { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[] NegativeAnchor { get; set; } = [];

    /// <summary>A video result given as an anchor stands for every frame of the video, not only the frame that matched.</summary>
    [Parameter]
    public SwitchParameter WholeVideo { get; set; }

    /// <summary>Which views of each anchor to match: All (as is, mirrored, turned 90/180/270°; the default), Mirror, or None.</summary>
    [Parameter]
    public AnchorViews AnchorViews { get; set; } = AnchorViews.All;

    protected override void ProcessRecord() => _anchors.AddRange(Anchor);

    protected override void EndProcessing()
    {
        var library = ResolveLibrary(Library, StorePath, _anchors.Select(Unwrap).OfType<MediaAsset>().FirstOrDefault(), AnchorPaths(_anchors));
        var anchors = ToAnchors(_anchors, library, WholeVideo);
        var negatives = ToAnchors(NegativeAnchor, library);
        var question = new QueryRecord { Kind = "similar", Anchors = anchors.Select(a => a.Label).ToList() };
        Execute(library, _ => question, q => q.FindSimilar(anchors, negatives, AnchorViews, WriteItemError, StopToken));
    }
}

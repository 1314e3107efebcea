using System.Management.Automation;
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
        var library = ResolveLibrary(Library, StorePath, _anchors.Select(Unwrap).OfType<MediaAsset>().FirstOrDefault());
        var anchors = ToAnchors(_anchors, library);
        var negatives = ToAnchors(NegativeAnchor, library);
        var question = new QueryRecord { Kind = "similar", Anchors = anchors.Select(a => a.Label).ToList() };
        Execute(library, _ => question, q => q.FindSimilar(anchors, negatives, AnchorViews, WriteItemError, StopToken));
    }

    static object Unwrap(object o) => o is PSObject ps ? ps.BaseObject : o;

    /// <summary>Paths (relative, ~, wildcards), Get-ChildItem items, MediaAsset/MediaMatch objects and asset ids.</summary>
    List<Anchor> ToAnchors(IEnumerable<object> inputs, MediaLibrary library)
    {
        var anchors = new List<Anchor>();
        foreach (var input in inputs.Select(Unwrap))
        {
            switch (input)
            {
                case MediaAsset asset:
                    anchors.Add(Core.Search.Anchor.ForAsset(asset, WholeVideo));
                    break;
                case FileSystemInfo file:
                    anchors.Add(Core.Search.Anchor.Parse(file.FullName, file.FullName, library));
                    break;
                default:
                    var text = input?.ToString() ?? "";
                    foreach (var path in ResolvePaths(text)) anchors.Add(Core.Search.Anchor.Parse(text, path, library));
                    break;
            }
        }
        return anchors;
    }
}

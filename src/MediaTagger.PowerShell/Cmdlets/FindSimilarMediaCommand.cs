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
        var anchors = ToAnchors(_anchors, library);
        var negatives = ToAnchors(NegativeAnchor, library);
        var question = new QueryRecord { Kind = "similar", Anchors = anchors.Select(a => a.Label).ToList() };
        Execute(library, _ => question, q => q.FindSimilar(anchors, negatives, AnchorViews, WriteItemError, StopToken));
    }

    static object Unwrap(object o) => o is PSObject ps ? ps.BaseObject : o;

    /// <summary>Where the anchors given by path lie: a library that holds them is the one to search.</summary>
    IEnumerable<string> AnchorPaths(IEnumerable<object> inputs) => inputs.Select(Unwrap).Select(i => i switch
    {
        FileSystemInfo f => f.FullName,
        string text => ResolvePath(text),
        _ => null,
    }).OfType<string>();

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
                case DirectoryInfo folder:
                    AddFolder(anchors, folder.FullName, library);
                    break;
                case FileSystemInfo file:
                    anchors.Add(Core.Search.Anchor.Parse(file.FullName, file.FullName, library));
                    break;
                default:
                    var text = input?.ToString() ?? "";
                    var paths = ResolvePaths(text).ToList();
                    if (WildcardPattern.ContainsWildcardCharacters(text) && paths.All(p => !File.Exists(p) && !Directory.Exists(p)))
                    {
                        WriteItemError(new ItemError(ErrorIds.SearchAnchorNotFound, $"No file matches the anchor '{text}'.", text, ErrorKind.ObjectNotFound));
                        break;
                    }
                    foreach (var path in paths)
                    {
                        if (Directory.Exists(path)) AddFolder(anchors, path, library);
                        else anchors.Add(Core.Search.Anchor.Parse(text, path, library));
                    }
                    break;
            }
        }
        return anchors;
    }

    /// <summary>A folder given as an anchor stands for the photos and videos directly in it, each an anchor of its own.</summary>
    void AddFolder(List<Anchor> anchors, string folder, MediaLibrary library)
    {
        var files = Directory.EnumerateFiles(folder).Where(f => MediaExtensions.TypeOf(System.IO.Path.GetFileName(f)) is not null).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            WriteItemError(new ItemError(ErrorIds.SearchAnchorNotFound, $"The anchor folder '{folder}' holds no photos or videos (only the files directly in it are used).", folder, ErrorKind.ObjectNotFound));
            return;
        }
        WriteVerbose($"Anchor folder '{folder}': {files.Count} files.");
        foreach (var file in files) anchors.Add(Core.Search.Anchor.Parse(file, file, library));
    }
}

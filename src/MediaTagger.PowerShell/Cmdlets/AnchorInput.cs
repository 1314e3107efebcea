using System.Management.Automation;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Turns what users pass as example images into anchors: paths (relative, ~, wildcards), Get-ChildItem items, MediaAsset/MediaMatch objects and asset ids.</summary>
static class AnchorInput
{
    public static object Unwrap(object o) => o is PSObject ps ? ps.BaseObject : o;

    public static List<Anchor> ToAnchors(IEnumerable<object> inputs, MediaLibrary library, Func<string, IEnumerable<string>> resolvePaths)
    {
        var anchors = new List<Anchor>();
        foreach (var input in inputs.Select(Unwrap))
        {
            switch (input)
            {
                case MediaAsset asset:
                    anchors.Add(Anchor.ForAsset(asset));
                    break;
                case FileSystemInfo file:
                    anchors.Add(Anchor.Parse(file.FullName, file.FullName, library));
                    break;
                default:
                    var text = input?.ToString() ?? "";
                    foreach (var path in resolvePaths(text)) anchors.Add(Anchor.Parse(text, path, library));
                    break;
            }
        }
        return anchors;
    }
}

using ImageMagick;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.People;

/// <summary>A face a person approved under a name: what goes into the sidecar as a People tag and a face region.</summary>
public sealed record NamedFace(MediaFace Face, string Name);

/// <summary>
/// Writes approved people into sidecars (Faces → Xmp): for each file, "People|&lt;name&gt;" tags and one Metadata
/// Working Group face region per face, merged into the sidecar through the same editor and journal as every tag write,
/// so Undo-MediaXmpTag reverses it.
/// </summary>
public static class FaceRegionTagging
{
    public const string TagRoot = "People";

    public static string TagOf(string name) => TagPath.Normalize($"{TagRoot}|{name}");

    /// <summary>The sidecar edits for <paramref name="faces"/>, planned (nothing written yet).</summary>
    public static List<TagBatchItem> Plan(IReadOnlyList<NamedFace> faces, SidecarNaming naming, SubjectLevels levels, string run, CancellationToken cancellationToken)
    {
        var byPath = faces.GroupBy(f => f.Face.Path, Library.MediaLibrary.PathComparer).ToDictionary(g => g.Key, g => g.ToList(), Library.MediaLibrary.PathComparer);
        var items = TagBatch.GroupBySidecar(byPath.Values.Select(g => new TagTarget(g[0].Face.Path, TagJournal.PathForStore(g[0].Face.StorePath))),
            p => [SidecarLocator.Resolve(p, naming)]);
        TagBatch.Plan(items, (item, _) =>
        {
            var named = item.Targets.SelectMany(t => byPath[t.MediaPath]).ToList();
            var (width, height) = UprightSize(item.Targets[0].MediaPath);
            return new TagEditRequest
            {
                Sidecar = item.Sidecar,
                MediaPaths = item.Targets.Select(t => t.MediaPath).ToList(),
                JournalPath = item.Targets[0].JournalPath,
                Add = named.Select(n => TagOf(n.Name)).Distinct(StringComparer.Ordinal).ToList(),
                Regions = named.Where(n => n.Face.Frame is null)
                    .Select(n => new XmpFaceRegion(n.Name, n.Face.X + n.Face.Width / 2, n.Face.Y + n.Face.Height / 2, n.Face.Width, n.Face.Height)).ToList(),
                ImageWidth = width,
                ImageHeight = height,
                SubjectLevels = levels,
                Run = run,
            };
        }, cancellationToken);
        return items;
    }

    /// <summary>The picture's size as shown (EXIF rotation applied), the frame the face boxes are in.</summary>
    static (int Width, int Height) UprightSize(string path)
    {
        try
        {
            using var image = new MagickImage();
            image.Ping(path);
            var turned = image.Orientation is Orientation.LeftTop or Orientation.RightTop or Orientation.RightBottom or Orientation.LeftBottom;
            return turned ? ((int)image.Height, (int)image.Width) : ((int)image.Width, (int)image.Height);
        }
        catch (MagickException ex)
        {
            throw new MediaTaggerException(ErrorIds.FaceImageUnreadable, $"'{path}' cannot be read to size its face regions: {ex.Message}", ErrorKind.ReadError, path, ex);
        }
    }
}
